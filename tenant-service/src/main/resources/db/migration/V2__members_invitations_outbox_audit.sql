-- Organizations get a slug, an optional personal owner, soft deletion and who created them.
alter table tenant.organizations
    add column slug            text,
    add column personal_owner  uuid,
    add column created_by_type text not null default 'anonymous',
    add column created_by_id   text,
    add column updated_at      timestamptz not null default now(),
    add column deleted_at      timestamptz;

-- Organizations created before slugs existed get one from their id, which is unique already.
update tenant.organizations set slug = 'org-' || replace(id::text, '-', '') where slug is null;
alter table tenant.organizations alter column slug set not null;
alter table tenant.organizations add constraint organizations_slug_format
    check (slug ~ '^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$');
-- A live organization's slug is unique; a deleted one frees its slug.
create unique index organizations_slug_live on tenant.organizations (slug) where deleted_at is null;
-- Exactly one personal organization per user, even under concurrent first sign-ins (insert ... on conflict).
alter table tenant.organizations add constraint organizations_personal_owner_unique unique (personal_owner);

-- What tenant-service knows of a person, for member listings and invitations (identity-service owns accounts
-- and sends these at sign-up and whenever the email is verified).
create table tenant.users (
    user_id        uuid        primary key,
    email          text        not null,
    email_verified boolean     not null default false,
    name           text,
    updated_at     timestamptz not null default now()
);
create index users_email on tenant.users (email);

create table tenant.memberships (
    organization_id uuid        not null references tenant.organizations (id) on delete cascade,
    user_id         uuid        not null,
    role            text        not null check (role in ('owner', 'admin', 'member')),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (organization_id, user_id)
);
create index memberships_user on tenant.memberships (user_id, created_at);
create index memberships_listing on tenant.memberships (organization_id, created_at, user_id);

create table tenant.invitations (
    id              uuid        primary key,
    organization_id uuid        not null references tenant.organizations (id) on delete cascade,
    email           text        not null,
    role            text        not null check (role in ('owner', 'admin', 'member')),
    -- SHA-256 of the token in the latest invitation mail. The token is made by the outbox sender just before
    -- the mail leaves, so it exists only in that mail; null until the first mail is sent.
    token_hash      bytea       unique,
    invited_by_type text        not null,
    invited_by_id   text,
    created_at      timestamptz not null default now(),
    expires_at      timestamptz not null,
    accepted_at     timestamptz,
    accepted_by     uuid,
    revoked_at      timestamptz
);
create index invitations_listing on tenant.invitations (organization_id, created_at desc, id);
create index invitations_pending_email on tenant.invitations (email) where accepted_at is null and revoked_at is null;

-- Work that must happen after a change commits (mail, calls to other services), written in the change's own
-- transaction and delivered by OutboxSender on any instance: rows are claimed with FOR UPDATE SKIP LOCKED
-- and leased by moving next_attempt_at past the delivery, so several replicas never deliver one row at the
-- same time and a row whose instance died becomes due again when its lease ends.
create table tenant.outbox (
    id              bigint      generated always as identity primary key,
    kind            text        not null,
    payload         text        not null,
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    delivered_at    timestamptz
);
create index outbox_due on tenant.outbox (next_attempt_at, id) where delivered_at is null;

-- The audit log: append-only. No code path updates or deletes it, and the database refuses to.
create table tenant.audit_events (
    id              bigint      generated always as identity primary key,
    organization_id uuid        not null,
    actor_type      text        not null,
    actor_id        text,
    actor_email     text,
    action          text        not null,
    target_type     text,
    target_id       text,
    target_name     text,
    metadata        text,
    client_address  text,
    request_id      text,
    occurred_at     timestamptz not null default now(),
    recorded_at     timestamptz not null default now(),
    -- Other services' events may be delivered twice (their outboxes retry); an event id makes it once.
    source_event_id text        unique
);
create index audit_events_listing on tenant.audit_events (organization_id, id desc);
create index audit_events_action on tenant.audit_events (organization_id, action, id desc);
create index audit_events_actor on tenant.audit_events (organization_id, actor_id, id desc);

create function tenant.audit_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'tenant.audit_events is append-only' using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_events_no_update before update or delete on tenant.audit_events
    for each row execute function tenant.audit_events_append_only();
create trigger audit_events_no_truncate before truncate on tenant.audit_events
    for each statement execute function tenant.audit_events_append_only();
