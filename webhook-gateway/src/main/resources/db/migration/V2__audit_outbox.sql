-- Audit events of provider changes, written in the transaction of the change and delivered to tenant-service's
-- audit log from here (latchkey-common's AuditOutbox / AuditDelivery): a tenant-service outage loses none.
create table webhook.audit_outbox (
    id              bigserial   primary key,
    organization_id uuid        not null,
    event           jsonb       not null,
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    -- Set when tenant-service refused the event for good, or kept refusing it for a week: kept for an operator.
    rejected_at     timestamptz
);
create index audit_outbox_due_idx on webhook.audit_outbox (next_attempt_at) where rejected_at is null;
