package dev.latchkey.common.audit;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A service's audit outbox table ({@code <schema>.audit_outbox}, created by the service's own migration with the
 * columns below): an audit event is written with the change it records, in the same transaction, then delivered
 * to tenant-service by {@link AuditDelivery}. Several instances deliver side by side: each claims due events with
 * a lease ({@code FOR UPDATE SKIP LOCKED}), so an event is sent by one instance at a time, and again only if that
 * one neither delivered nor rescheduled it before the lease ran out. tenant-service records an {@code event_id}
 * once, so a delivery whose answer was lost and is sent again is not recorded twice.
 *
 * <pre>
 * create table &lt;schema&gt;.audit_outbox (
 *     id bigserial primary key, organization_id uuid not null, event jsonb not null,
 *     created_at timestamptz not null default now(), attempts integer not null default 0,
 *     next_attempt_at timestamptz not null default now(), last_error text, rejected_at timestamptz);
 * </pre>
 */
public final class AuditOutbox {

    /** How long a claimed event is left alone by other instances. */
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final Pattern TABLE = Pattern.compile("[a-z_]+\\.audit_outbox");

    public record Pending(long id, UUID organizationId, JsonObject event, int attempts, OffsetDateTime createdAt) {
    }

    private final Pool pool;
    private final String table;

    /** @param table the qualified table name, e.g. {@code webhook.audit_outbox} */
    public AuditOutbox(Pool pool, String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not an audit outbox table: " + table);
        }
        this.pool = pool;
        this.table = table;
    }

    /** Adds an event within the caller's transaction {@code client}. */
    public Uni<Void> add(SqlClient client, UUID organizationId, JsonObject event) {
        return client.preparedQuery("insert into " + table + " (organization_id, event) values ($1, $2)")
                .execute(Tuple.of(organizationId, event))
                .replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} due events for this instance, oldest first. An organization's events reach its
     * audit log in the order they happened: an event waiting for a retry, or claimed by another instance, holds back
     * that organization's later events until it is delivered or set aside.
     */
    public Uni<List<Pending>> claim(int limit) {
        return pool.preparedQuery("update " + table + " set attempts = attempts + 1,"
                + " next_attempt_at = now() + make_interval(secs => $2)"
                + " where id in (select t.id from " + table + " t where t.rejected_at is null"
                + " and t.next_attempt_at <= now() and not exists (select 1 from " + table + " e"
                + " where e.organization_id = t.organization_id and e.id < t.id and e.rejected_at is null"
                + " and e.next_attempt_at > now())"
                + " order by t.id limit $1 for update skip locked)"
                + " returning id, organization_id, event, attempts, created_at")
                .execute(Tuple.of(limit, (double) LEASE.toSeconds()))
                .map(rows -> {
                    List<Pending> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(new Pending(row.getLong("id"), row.getUUID("organization_id"), (JsonObject) row.getValue("event"),
                            row.getInteger("attempts"), row.getOffsetDateTime("created_at"))));
                    out.sort((a, b) -> Long.compare(a.id(), b.id()));
                    return out;
                });
    }

    public Uni<Void> delivered(long id) {
        return pool.preparedQuery("delete from " + table + " where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> retryLater(long id, Duration after, String error) {
        return pool.preparedQuery("update " + table + " set next_attempt_at = now() + make_interval(secs => $2),"
                + " last_error = $3 where id = $1")
                .execute(Tuple.of(id, after.toMillis() / 1000.0, error))
                .replaceWithVoid();
    }

    /** Sets an event aside for an operator: tenant-service refused it for good. It stays in the table. */
    public Uni<Void> reject(long id, String error) {
        return pool.preparedQuery("update " + table + " set rejected_at = now(), last_error = $2 where id = $1")
                .execute(Tuple.of(id, error))
                .replaceWithVoid();
    }

    /** Events waiting for delivery (not set aside). */
    public Uni<Long> backlog() {
        return pool.query("select count(*) from " + table + " where rejected_at is null").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public String table() {
        return table;
    }
}
