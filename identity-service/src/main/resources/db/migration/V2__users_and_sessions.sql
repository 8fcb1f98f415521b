-- People and their sessions. Emails are stored normalised (see password/EmailAddresses) and unique.
create table identity.users (
    id                   uuid        primary key default gen_random_uuid(),
    email                text        not null,
    name                 text        not null,
    email_verified_at    timestamptz,
    -- pending: signed up while access gating requires an operator's approval; disabled: may not sign in.
    status               text        not null default 'active' check (status in ('active', 'pending', 'disabled')),
    approved_at          timestamptz,
    last_organization_id uuid,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
create unique index users_email_key on identity.users (email);

-- Argon2id hashes in PHC format; one password per user.
create table identity.password_credentials (
    user_id    uuid        primary key references identity.users (id) on delete cascade,
    hash       text        not null,
    updated_at timestamptz not null default now()
);

-- A session is one sign-in: it lives at most expires_at (12 h by default) and acts in one organization at a
-- time. Once ended, tokens naming it are refused until last_token_expires_at, the expiry of the last access
-- token it was given.
create table identity.sessions (
    id                    uuid        primary key default gen_random_uuid(),
    user_id               uuid        not null references identity.users (id) on delete cascade,
    organization_id       uuid,
    created_at            timestamptz not null default now(),
    last_used_at          timestamptz not null default now(),
    expires_at            timestamptz not null,
    last_token_expires_at timestamptz not null,
    ended_at              timestamptz,
    end_reason            text,
    user_agent            text,
    client_address        text
);
create index sessions_user_active_idx on identity.sessions (user_id) where ended_at is null;
create index sessions_org_active_idx on identity.sessions (organization_id) where ended_at is null;
create index sessions_ended_idx on identity.sessions (ended_at) where ended_at is not null;

-- Refresh tokens, only as SHA-256 (hex). The current one has rotated_at null; rotated ones are kept until their
-- session is gone, so that a replay is recognised (and ends the session).
create table identity.refresh_tokens (
    token_hash text        primary key,
    session_id uuid        not null references identity.sessions (id) on delete cascade,
    created_at timestamptz not null default now(),
    rotated_at timestamptz
);
create index refresh_tokens_session_idx on identity.refresh_tokens (session_id);

-- Single-use tokens sent by mail (email verification, password reset), only as SHA-256 (hex).
create table identity.email_tokens (
    token_hash text        primary key,
    user_id    uuid        not null references identity.users (id) on delete cascade,
    purpose    text        not null check (purpose in ('verify_email', 'reset_password')),
    email      text        not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index email_tokens_user_idx on identity.email_tokens (user_id, purpose);

-- Mail waiting to be sent, written in the same transaction as what caused it. The body is cleared once sent
-- (it may hold a single-use token).
create table identity.mail_outbox (
    id              bigserial   primary key,
    recipient       text        not null,
    subject         text        not null,
    text_body       text        not null,
    html_body       text,
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    sent_at         timestamptz,
    last_error      text
);
create index mail_outbox_due_idx on identity.mail_outbox (next_attempt_at) where sent_at is null;
