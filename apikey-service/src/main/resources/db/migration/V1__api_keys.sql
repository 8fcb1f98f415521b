-- API keys. Only the SHA-256 of a key is stored (key_hash); "start" is its first characters, shown to help
-- people tell keys apart. Verification looks a key up by its hash.
create table apikey.api_keys (
    id           uuid        primary key default gen_random_uuid(),
    tenant_id    uuid        not null,
    name         text        not null,
    key_hash     bytea       not null unique,
    start        text        not null,
    scopes       text[]      not null default '{}',
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
create index api_keys_tenant_idx on apikey.api_keys (tenant_id, created_at);
