-- Revocations without a session to end (issue 23, items 10 and 1), the record every service reloads before it trusts
-- its cache again (GET /internal/v1/sessions/denied); Redis only announces them.

-- Access tokens revoked by id (RFC 7009): client-credentials tokens, which have no session. Refused until they
-- expire; a row is worth nothing after that and is deleted by the next revocation.
create table identity.revoked_tokens (
    jti        text        primary key,
    client_id  text        not null,
    revoked_at timestamptz not null default now(),
    deny_until timestamptz not null
);
create index revoked_tokens_deny_until_idx on identity.revoked_tokens (deny_until);

-- Clients deleted or given a new secret: every access token issued to the client up to revoked_at is refused until
-- deny_until (revoked_at plus the longest access-token lifetime). The person sessions granted to the client are
-- ended beside it, in the same transaction.
create table identity.revoked_clients (
    id         bigint      generated always as identity primary key,
    client_id  text        not null,
    revoked_at timestamptz not null,
    deny_until timestamptz not null,
    reason     text        not null
);
create index revoked_clients_deny_until_idx on identity.revoked_clients (deny_until);
