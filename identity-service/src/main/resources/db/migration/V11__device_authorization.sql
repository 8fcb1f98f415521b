-- The device authorization grant (RFC 8628) for machines without a browser (`latchkey login --device`): the
-- device polls with its device code (only its SHA-256 here) while a person enters the user code on another
-- device and goes through the usual sign-in, organization and consent pages. Lives 10 minutes.
create table identity.device_authorizations (
    device_code_hash      text        primary key,
    user_code             text        not null unique,
    client_id             text        not null references identity.oauth_clients (id) on delete cascade,
    scopes                text        not null,
    host                  text,
    status                text        not null default 'pending'
                                      check (status in ('pending', 'approved', 'denied', 'used')),
    user_id               uuid        references identity.users (id) on delete cascade,
    organization_id       uuid,
    organization_name     text,
    organization_slug     text,
    organization_role     text,
    organization_personal boolean     not null default false,
    auth_time             timestamptz,
    interval_seconds      integer     not null default 5,
    last_polled_at        timestamptz,
    created_at            timestamptz not null default now(),
    expires_at            timestamptz not null
);
create index device_authorizations_expiry_idx on identity.device_authorizations (expires_at);

-- An authorization request started by entering a user code: no redirect back to a client (the pages end on a
-- page of their own), no PKCE (the device code is the client's proof).
alter table identity.authorization_requests
    add column device_code_hash text references identity.device_authorizations (device_code_hash) on delete cascade,
    alter column code_challenge drop not null;
