create table tenant.organizations (
    id         uuid        primary key default gen_random_uuid(),
    name       text        not null,
    created_at timestamptz not null default now()
);
