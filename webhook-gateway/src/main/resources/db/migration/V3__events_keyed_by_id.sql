-- The inbox is keyed by its event id, which the API hands out and looks up events by. seq, drawn from its
-- sequence and so unique by construction, orders listings and stream positions through events_org_seq_idx and
-- events_org_tx_idx and needs no index of its own. Every accepted delivery inserts into each index of this table:
-- one fewer saves PostgreSQL 3.5-9 µs per row (pgbench, ten-row inserts as the gateway batches them: 0.63 and
-- 0.65 ms with the seq index, 0.60 and 0.56 ms without).
-- The primary key is rebuilt on id under an exclusive lock: seconds for an inbox of millions of events.
alter table webhook.events drop constraint events_pkey;
alter table webhook.events drop constraint events_id_key, add constraint events_pkey primary key (id);
