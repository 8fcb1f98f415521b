-- The whole lifecycle of a key: its organization's prefix, what it may do (capability, resource scope, rate
-- limit), who created it, rotation, and a keyed hash (HMAC under a pepper) instead of a plain SHA-256.
alter table apikey.api_keys rename column tenant_id to organization_id;
alter index apikey.api_keys_tenant_idx rename to api_keys_organization_idx;

alter table apikey.api_keys
    -- 'sha256' (rows from before peppers: legacy lk_ keys) or 'hmac-sha256:<pepper id>'. A row is re-hashed under
    -- the current pepper the first time its key is used after a pepper rotation.
    add column hash_scheme           text    not null default 'sha256',
    add column prefix                text    not null default 'lk',
    -- The key's last four characters, to tell keys apart (unknown for legacy rows).
    add column last_four             text,
    add column capability            text    not null default 'read_write'
        check (capability in ('read', 'read_write')),
    add column scope_type            text    not null default 'organization'
        check (scope_type in ('organization', 'project', 'branch')),
    add column scope_ids             text[]  not null default '{}',
    add column rate_limit_per_minute integer check (rate_limit_per_minute > 0),
    add column rate_limit_burst      integer check (rate_limit_burst > 0),
    -- Who created the key: a person ('user', user id), a key ('api_key', key id) or a service ('service', name).
    add column created_by_type       text    check (created_by_type in ('user', 'api_key', 'service')),
    add column created_by_id         text,
    add column rotated_from          uuid,
    add column rotated_to            uuid,
    -- False while a revocation (immediate, or the end of a rotation grace) has not been announced on Redis yet.
    add column revocation_announced  boolean not null default true;

-- GET /v1/api-keys pages by (created_at, id), newest first.
drop index apikey.api_keys_organization_idx;
create index api_keys_organization_page_idx on apikey.api_keys (organization_id, created_at desc, id desc);
-- Revocations due to be announced (a few rows at most).
create index api_keys_revocation_due_idx on apikey.api_keys (revoked_at) where not revocation_announced;

-- An organization's own key prefix (mao_key, m9m_sk, nsk, cflo ...); without a row, the configured default.
create table apikey.organization_settings (
    organization_id uuid        primary key,
    prefix          text        not null,
    updated_at      timestamptz not null default now()
);

-- Audit events for tenant-service, written in the transaction of the change they record and delivered from
-- here, so that none is lost while tenant-service is away.
create table apikey.audit_outbox (
    id              bigserial   primary key,
    organization_id uuid        not null,
    event           jsonb       not null,
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    -- Set when tenant-service refused the event for good (or kept refusing it past latchkey.apikey.audit.give-up-after).
    rejected_at     timestamptz
);
create index audit_outbox_due_idx on apikey.audit_outbox (next_attempt_at) where rejected_at is null;
