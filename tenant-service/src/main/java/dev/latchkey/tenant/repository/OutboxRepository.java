package dev.latchkey.tenant.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.tenant.domain.OutboxMessage;
import dev.latchkey.tenant.domain.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessage, Long> {

    /** Adds a message in the caller's transaction: it exists exactly when the change that needs it committed. */
    public Uni<OutboxMessage> enqueue(String kind, String payload) {
        OutboxMessage message = new OutboxMessage();
        message.kind = kind;
        message.payload = payload;
        Instant now = Times.now();
        message.createdAt = now;
        message.nextAttemptAt = now;
        return persist(message);
    }

    /**
     * Claims up to {@code limit} due messages for this instance: {@code FOR UPDATE SKIP LOCKED} lets several
     * instances claim at once without waiting for or taking each other's rows, and the claim moves each row's
     * next attempt past {@code lease}, so no other instance picks it up while it is being delivered (and it
     * becomes due again if this instance dies meanwhile).
     */
    @SuppressWarnings("unchecked")
    public Uni<List<OutboxMessage>> claim(int limit, Duration lease) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "update tenant.outbox set attempts = attempts + 1,"
                        + " next_attempt_at = now() + make_interval(secs => :lease)"
                        + " where id in (select id from tenant.outbox where delivered_at is null and next_attempt_at <= now()"
                        + " order by next_attempt_at, id limit :limit for update skip locked)"
                        // Named, not *: a prepared statement's columns must not change under a running instance.
                        + " returning id, kind, payload, created_at, attempts, next_attempt_at, last_error, delivered_at",
                OutboxMessage.class)
                .setParameter("lease", (double) lease.toMillis() / 1000.0).setParameter("limit", limit)
                .getResultList());
    }

    public Uni<Integer> delivered(long id, String scrubbedPayload) {
        return update("deliveredAt = ?1, payload = ?2, lastError = null where id = ?3", Times.now(), scrubbedPayload,
                id);
    }

    public Uni<Integer> failed(long id, Duration retryIn, String error) {
        return update("nextAttemptAt = ?1, lastError = ?2 where id = ?3 and deliveredAt is null",
                Times.now().plus(retryIn), error, id);
    }

    public Uni<Long> forgetDeliveredBefore(Instant before) {
        return delete("deliveredAt < ?1", before);
    }
}
