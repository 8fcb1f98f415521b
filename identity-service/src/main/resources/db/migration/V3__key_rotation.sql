-- Scheduled signing-key rotation. A key signs from activates_at until a newer key activates; it stays
-- published (PASSIVE) until retires_at, when the last token it signed has expired, and is then RETIRED (kept,
-- never published again). A key created ahead of its activation is published, PASSIVE, before it signs.
alter table identity.signing_keys drop constraint signing_keys_status_check;
update identity.signing_keys set status = 'RETIRED' where status = 'DISABLED';
alter table identity.signing_keys add constraint signing_keys_status_check
    check (status in ('ACTIVE', 'PASSIVE', 'RETIRED'));
alter table identity.signing_keys add column activates_at timestamptz;
alter table identity.signing_keys add column retires_at timestamptz;
update identity.signing_keys set activates_at = created_at;
alter table identity.signing_keys alter column activates_at set not null;
