-- A provider is one sender of webhooks to one organization (its Stripe account, a GitHub App, an n8n
-- instance...). Its scheme says how deliveries are signed; generic providers name their own headers.
create table webhook.providers (
    id               uuid        primary key,
    organization_id  uuid        not null,
    name             text        not null,
    scheme           text        not null check (scheme in ('github', 'stripe', 'standard', 'svix', 'generic')),
    require_api_key  boolean     not null,
    signature_header text,
    timestamp_header text,
    nonce_header     text,
    created_at       timestamptz not null default now(),
    unique (organization_id, name)
);

-- Signing secrets, AES-256-GCM-sealed under the gateway's key-encryption key with "<provider id>/<secret id>"
-- as associated data (a sealed value copied to another row does not open). Several may be active at once while
-- a secret is rolled: a delivery matching any unexpired one is accepted.
create table webhook.provider_secrets (
    id          uuid        primary key,
    provider_id uuid        not null references webhook.providers (id) on delete cascade,
    sealed      bytea       not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz
);
create index provider_secrets_provider_idx on webhook.provider_secrets (provider_id);

-- The durable inbox. (provider_id, delivery_id) is unique: the last line of defence against storing a delivery
-- twice, behind the Redis reservation. tx is the inserting transaction's id: streams read in (tx, seq) order and
-- only rows of transactions older than every transaction still running (see InboxRepository), so that a row
-- committed late can never slip in behind a stream's position. seq orders listings.
create table webhook.events (
    seq             bigserial   primary key,
    id              uuid        not null unique,
    organization_id uuid        not null,
    provider_id     uuid        not null references webhook.providers (id) on delete cascade,
    provider_name   text        not null,
    delivery_id     text        not null,
    event_type      text,
    headers         jsonb       not null,
    body            bytea       not null,
    received_at     timestamptz not null,
    acked_at        timestamptz,
    tx              xid8        not null default pg_current_xact_id(),
    unique (provider_id, delivery_id)
);
create index events_org_seq_idx on webhook.events (organization_id, seq);
create index events_org_tx_idx on webhook.events (organization_id, tx, seq);
