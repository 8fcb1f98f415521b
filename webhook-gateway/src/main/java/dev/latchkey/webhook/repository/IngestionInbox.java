package dev.latchkey.webhook.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.batch.Batcher;
import dev.latchkey.webhook.config.WebhookConfig;
import dev.latchkey.webhook.domain.InboxEvent;
import dev.latchkey.webhook.domain.InboxFilter;
import dev.latchkey.webhook.domain.InboxPosition;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The durable inbox, on the hot path of every accepted delivery ({@code POST /v1/webhooks/{org}/{provider}}:
 * bench/README.md, "webhook-gateway", the signed-delivery row against the gateway's ping). Raw reactive SQL, no
 * Hibernate: the group-committed {@code INSERT ... SELECT FROM unnest(...)}, the transaction-id positions streams
 * read by ({@code pg_snapshot_xmin}) and the notifications after each commit are statements an ORM would only wrap,
 * and every replica would pay its memory and start-up time. The management statements of the inbox (listing,
 * one event, acknowledgement) stay beside them: they share the table, its columns and the row mapping.
 * <p>
 * Writes are group-committed: a delivery is queued, and up to {@code inbox-writers} transactions per replica
 * each take up to {@code inbox-batch-size} queued deliveries and insert them with one {@code INSERT ... SELECT
 * FROM unnest(...)}. Each delivery's {@link Uni} completes only after its transaction has committed, so nothing is
 * acknowledged before it is durable; under load, one commit (one WAL flush) covers many deliveries, which is what
 * makes the whole path cheap. With no load a delivery is written at once, alone.
 * <p>
 * Batches commit in parallel (PostgreSQL flushes concurrent commits together), so sequence numbers are not
 * handed out in commit order: a row with a smaller {@code seq} may commit after one with a larger. Streams
 * therefore do not read by {@code seq} but by {@link InboxPosition} (inserting transaction id, seq), and only rows
 * of transactions older than the oldest transaction still running ({@code pg_snapshot_xmin}): every such
 * transaction has finished, and any row that becomes visible later has a larger transaction id than anything
 * already delivered. A long-running transaction elsewhere in the database delays streams; it never makes them
 * skip.
 * <p>
 * After a batch commits, {@code latchkey_webhook_events} is notified with {@code <organization>:<transaction id>}
 * for each organization that got events, which wakes the streams of every replica. The notification is its own
 * small statement, not part of the insert: PostgreSQL serialises the commits of notifying transactions (a
 * database-wide lock held from the notification until the commit, WAL flush included), so inserts that notified
 * committed one after another, each waiting for the previous one's flush; under load the writers waited for that
 * lock rather than for their own flush (bench/README.md, webhook-gateway). Notifications are coalesced (one
 * statement in flight per replica, carrying the newest transaction of each organization since the last one) and
 * committed without waiting for the WAL flush: they carry no data, the rows they announce are already durable.
 * They are also spaced: at most one per {@code stream-notify-interval} (25 ms by default) per replica, so a
 * stream learns of an event at most that much after its commit. Each notification is a transaction of its own in
 * PostgreSQL and wakes the listening connection of every replica and each of their streams, so spacing them saves
 * PostgreSQL CPU per delivery under load. A notification lost to a crash between the two statements delays streams until their next poll; it
 * never loses an event.
 */
@ApplicationScoped
public class IngestionInbox {

    public static final String EVENTS_CHANNEL = "latchkey_webhook_events";
    private static final String COLUMNS = "seq, id, organization_id, provider_id, provider_name, delivery_id, "
            + "event_type, headers::text as headers, body, received_at, acked_at, tx::text::bigint as tx";
    /**
     * One statement, run in autocommit: it has committed (durably, synchronous_commit) when its answer arrives. One
     * round trip per batch, where an explicit transaction would take four; on a busy machine each round trip is a
     * scheduling delay. It returns the inserting transaction's id for the notification.
     */
    private static final String INSERT = "insert into webhook.events "
            + "(id, organization_id, provider_id, provider_name, delivery_id, event_type, headers, body, received_at) "
            + "select i, o, p, pn, d, t, h::jsonb, b, r from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], "
            + "$5::text[], $6::text[], $7::text[], $8::bytea[], $9::timestamptz[]) as x(i, o, p, pn, d, t, h, b, r) "
            + "order by r on conflict (provider_id, delivery_id) do nothing "
            + "returning id, organization_id, pg_current_xact_id()::text::bigint";
    /** Notifications of committed batches, without waiting for a WAL flush (see the class comment). */
    private static final String NOTIFY = "select count(pg_notify('" + EVENTS_CHANNEL + "', payload)) "
            + "from (select set_config('synchronous_commit', 'off', true)) as local, unnest($1::text[]) as payload";

    private final Pool pool;
    private final Batcher<InboxEvent, Boolean> writes;
    /** Organization → newest committed transaction with its events, not yet notified. */
    private final ConcurrentHashMap<UUID, Long> unnotified = new ConcurrentHashMap<>();
    /** Set while a notification is waiting for its turn or in flight; whoever clears it looks for more. */
    private final AtomicBoolean notifying = new AtomicBoolean();
    private final Vertx vertx;
    private final long notifyIntervalNanos;
    /** When the last notification was sent ({@link System#nanoTime()}). */
    private volatile long lastNotified;

    public IngestionInbox(Pool pool, Vertx vertx, WebhookConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.notifyIntervalNanos = config.streamNotifyInterval().toNanos();
        this.lastNotified = System.nanoTime() - notifyIntervalNanos;
        this.writes = new Batcher<>(config.inboxBatchSize(), config.inboxWriters(), this::write);
    }

    /**
     * Stores {@code event} unless its provider already has a delivery with its id. Completes after the commit:
     * true when stored, false when it was already there; fails when PostgreSQL does.
     */
    public Uni<Boolean> insert(InboxEvent event) {
        return writes.submit(event);
    }

    private Future<List<Boolean>> write(List<InboxEvent> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] orgs = new UUID[n];
        UUID[] providers = new UUID[n];
        String[] providerNames = new String[n];
        String[] deliveries = new String[n];
        String[] types = new String[n];
        String[] headers = new String[n];
        Buffer[] bodies = new Buffer[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            InboxEvent e = batch.get(i);
            ids[i] = e.id();
            orgs[i] = e.organizationId();
            providers[i] = e.providerId();
            providerNames[i] = e.providerName();
            deliveries[i] = e.deliveryId();
            types[i] = e.eventType();
            headers[i] = e.headers();
            bodies[i] = Buffer.buffer(e.body());
            received[i] = e.receivedAt();
        }
        io.vertx.sqlclient.Tuple args = io.vertx.sqlclient.Tuple.from(new Object[] { ids, orgs, providers,
                providerNames, deliveries, types, headers, bodies, received });
        return pool.getDelegate().preparedQuery(INSERT).execute(args).map(rows -> {
            Set<UUID> stored = new HashSet<>();
            for (io.vertx.sqlclient.Row row : rows) {
                stored.add(row.getUUID(0));
                unnotified.merge(row.getUUID(1), row.getLong(2), Math::max);
            }
            List<Boolean> results = new ArrayList<>(n);
            for (InboxEvent e : batch) {
                results.add(stored.contains(e.id()));
            }
            return results;
        }).onSuccess(stored -> announce());
    }

    /**
     * Sends the pending notifications, at once when the last one was sent at least {@code stream-notify-interval}
     * ago, else when that much time has passed; unless a notification is already waiting or in flight (its end sends
     * what came meanwhile).
     */
    private void announce() {
        if (unnotified.isEmpty() || !notifying.compareAndSet(false, true)) {
            return;
        }
        long wait = lastNotified + notifyIntervalNanos - System.nanoTime();
        if (wait <= 0) {
            notifyPending();
        } else {
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), timer -> notifyPending());
        }
    }

    private void notifyPending() {
        List<String> payloads = new ArrayList<>();
        for (UUID organization : unnotified.keySet()) {
            Long tx = unnotified.remove(organization);
            if (tx != null) {
                payloads.add(organization + ":" + tx);
            }
        }
        if (payloads.isEmpty()) {
            notifying.set(false);
            announce();
            return;
        }
        lastNotified = System.nanoTime();
        pool.getDelegate().preparedQuery(NOTIFY).execute(io.vertx.sqlclient.Tuple.of(payloads.toArray(String[]::new)))
                .onComplete(result -> {
                    notifying.set(false);
                    if (result.failed()) {
                        // The events are stored; streams find them at their next poll.
                        Log.debugf("inbox notification failed: %s", result.cause().getMessage());
                    }
                    announce();
                });
    }

    /** Events matching {@code filter} in inbox order, at most {@code limit}. */
    public Uni<List<InboxEvent>> list(InboxFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
                .append(" from webhook.events where organization_id = $1 and seq > $2");
        List<Object> args = new ArrayList<>(List.of(filter.organizationId(), filter.afterSeq()));
        if (filter.provider() != null) {
            args.add(filter.provider());
            sql.append(" and provider_name = $").append(args.size());
        }
        if (filter.type() != null) {
            args.add(filter.type());
            sql.append(" and event_type = $").append(args.size());
        }
        if (filter.after() != null) {
            args.add(filter.after());
            sql.append(" and received_at >= $").append(args.size());
        }
        if (filter.before() != null) {
            args.add(filter.before());
            sql.append(" and received_at < $").append(args.size());
        }
        if (filter.acked() != null) {
            sql.append(filter.acked() ? " and acked_at is not null" : " and acked_at is null");
        }
        args.add(limit);
        sql.append(" order by seq limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(IngestionInbox::readAll);
    }

    public Uni<Optional<InboxEvent>> find(UUID organizationId, UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook.events where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    /** Marks the event acknowledged (once; a second ack keeps the first time). Empty when there is no such event. */
    public Uni<Optional<InboxEvent>> ack(UUID organizationId, UUID id) {
        return pool.preparedQuery("update webhook.events set acked_at = coalesce(acked_at, now()) "
                + "where organization_id = $1 and id = $2 returning " + COLUMNS)
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    /** Where a stream that wants only what is committed from now on starts. */
    public Uni<InboxPosition> now() {
        return pool.query("select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin").execute()
                .map(rows -> new InboxPosition(rows.iterator().next().getLong("xmin") - 1, Long.MAX_VALUE));
    }

    /**
     * The organization's events after {@code after} in (transaction, seq) order, only of transactions older than
     * every running one (see the class comment), at most {@code limit}.
     */
    public Uni<List<InboxEvent>> streamAfter(UUID organizationId, InboxPosition after, String provider, String type, int limit) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from webhook.events "
                + "where organization_id = $1 and (tx, seq) > ($2::text::xid8, $3) "
                + "and tx < pg_snapshot_xmin(pg_current_snapshot())");
        List<Object> args = new ArrayList<>(List.of(organizationId, String.valueOf(after.tx()), after.seq()));
        if (provider != null) {
            args.add(provider);
            sql.append(" and provider_name = $").append(args.size());
        }
        if (type != null) {
            args.add(type);
            sql.append(" and event_type = $").append(args.size());
        }
        args.add(limit);
        sql.append(" order by tx, seq limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(IngestionInbox::readAll);
    }

    private static List<InboxEvent> readAll(RowSet<Row> rows) {
        List<InboxEvent> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(read(row)));
        return out;
    }

    private static InboxEvent read(Row row) {
        return new InboxEvent(row.getLong("seq"), row.getUUID("id"), row.getUUID("organization_id"),
                row.getUUID("provider_id"), row.getString("provider_name"), row.getString("delivery_id"),
                row.getString("event_type"), row.getString("headers"), row.getBuffer("body").getBytes(),
                row.getOffsetDateTime("received_at"), row.getOffsetDateTime("acked_at"), row.getLong("tx"));
    }
}
