-- OAuth 2.1 / OpenID Connect provider: registered clients, pending authorization requests (the sign-in pages'
-- state), authorization codes, which client a session was granted to, signed-in browsers, and identities at
-- upstream providers and external issuers.

-- Clients of the authorization-code flow. Confidential clients have a secret, stored only as SHA-256 (a generated
-- 256-bit secret; shown once). Redirect URIs are matched exactly (newline-separated list); a public client's
-- loopback URIs match on any port (RFC 8252 §7.3).
create table identity.oauth_clients (
    id            text        primary key,
    name          text        not null,
    client_type   text        not null check (client_type in ('public', 'confidential')),
    secret_hash   text,
    redirect_uris text        not null,
    skip_consent  boolean     not null default false,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    check ((client_type = 'confidential') = (secret_hash is not null))
);

-- The Latchkey CLI (issue 10): a public client listening once on a loopback port.
insert into identity.oauth_clients (id, name, client_type, redirect_uris)
values ('latchkey-cli', 'Latchkey CLI', 'public', E'http://127.0.0.1/callback\nhttp://[::1]/callback');

-- An authorization request between GET /v1/oauth/authorize and the code: which browser it belongs to (SHA-256 of
-- its CSRF cookie), what the client asked for, and what the person has done so far. Lives 15 minutes.
create table identity.authorization_requests (
    id                  text        primary key,
    browser_hash        text        not null,
    client_id           text        not null references identity.oauth_clients (id) on delete cascade,
    redirect_uri        text        not null,
    scopes              text        not null,
    state               text,
    nonce               text,
    code_challenge      text        not null,
    host                text,
    user_id             uuid        references identity.users (id) on delete cascade,
    session_id          uuid        references identity.sessions (id) on delete cascade,
    organization_id     uuid,
    auth_time           timestamptz,
    upstream_provider   text,
    upstream_state_hash text        unique,
    upstream_verifier   text,
    upstream_nonce      text,
    created_at          timestamptz not null default now(),
    expires_at          timestamptz not null
);
create index authorization_requests_expiry_idx on identity.authorization_requests (expires_at);

-- Authorization codes, only as SHA-256: single use, 60 s, bound to client, redirect URI and PKCE challenge. The
-- organization and role chosen on the page travel with the code, so the exchange needs no call to tenant-service.
-- session_id: what the exchange started, ended if the code is presented again.
create table identity.authorization_codes (
    code_hash         text        primary key,
    client_id         text        not null references identity.oauth_clients (id) on delete cascade,
    redirect_uri      text        not null,
    code_challenge    text        not null,
    user_id           uuid        not null references identity.users (id) on delete cascade,
    organization_id   uuid,
    organization_name text,
    organization_slug text,
    organization_role text,
    organization_personal boolean not null default false,
    scopes            text        not null,
    nonce             text,
    auth_time         timestamptz not null,
    created_at        timestamptz not null default now(),
    expires_at        timestamptz not null,
    used_at           timestamptz,
    session_id        uuid
);
create index authorization_codes_expiry_idx on identity.authorization_codes (expires_at);

-- Sessions started by the authorization-code grant or token exchange, and the client they belong to: a refresh
-- token of one client is refused to another, and revocation and introspection answer only its client.
create table identity.oauth_sessions (
    session_id uuid        primary key references identity.sessions (id) on delete cascade,
    client_id  text        not null,
    scopes     text        not null,
    auth_time  timestamptz not null
);

-- A browser signed in on the pages: its cookie, only as SHA-256, tied to a Latchkey session, so that logout,
-- "sign out everywhere" or an operator ending the session signs the browser out too.
create table identity.browser_sessions (
    token_hash text        primary key,
    session_id uuid        not null references identity.sessions (id) on delete cascade,
    created_at timestamptz not null default now()
);

-- A person's identity at an upstream provider or external issuer: (issuer, subject) is what OpenID Connect
-- guarantees unique. Linked to an existing account only through a verified email address.
create table identity.external_identities (
    issuer       text        not null,
    subject      text        not null,
    user_id      uuid        not null references identity.users (id) on delete cascade,
    email        text,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz not null default now(),
    primary key (issuer, subject)
);
create index external_identities_user_idx on identity.external_identities (user_id);
