package dev.latchkey.common.audit;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.latchkey.common.audit.AuditOutbox.Pending;
import dev.latchkey.common.client.TenantAuditClient;
import dev.latchkey.common.client.TenantAuditClient.Outcome;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Delivers an {@link AuditOutbox} to tenant-service: right after each change ({@link #kick()}) and every
 * {@code pollInterval} for whatever is due. A failed delivery is retried with exponential backoff (1 s doubling up
 * to {@code maxBackoff}, with jitter); an event tenant-service refuses as invalid, or keeps refusing past
 * {@code giveUpAfter}, is set aside in the table rather than dropped. A service makes one on start
 * ({@link #start()}) and stops it on shutdown.
 */
public final class AuditDelivery {

    public record Settings(Duration pollInterval, int batchSize, Duration maxBackoff, Duration giveUpAfter) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(1), 50, Duration.ofMinutes(5),
                Duration.ofDays(7));
    }

    private final AuditOutbox outbox;
    private final TenantAuditClient tenant;
    private final Settings settings;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private long timer = -1;

    public AuditDelivery(AuditOutbox outbox, TenantAuditClient tenant, Settings settings, Vertx vertx) {
        this.outbox = outbox;
        this.tenant = tenant;
        this.settings = settings;
        this.vertx = vertx;
    }

    public void start() {
        timer = vertx.setPeriodic(settings.pollInterval().toMillis(), id -> kick());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Delivers what is due now; a kick during a round runs one more round after it. */
    public void kick() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        Map<UUID, Duration> heldBack = new HashMap<>();
        outbox.claim(settings.batchSize())
                .flatMap(batch -> Multi.createFrom().iterable(batch)
                        .onItem().transformToUniAndConcatenate(pending -> deliverInOrder(pending, heldBack))
                        .collect().last())
                .subscribe().with(ignored -> finished(), failure -> {
                    Log.debugf("audit delivery round failed: %s", failure.toString());
                    finished();
                });
    }

    private void finished() {
        running.set(false);
        if (again.getAndSet(false)) {
            kick();
        }
    }

    /**
     * Once one of an organization's events has to wait, its later events in the same round wait with it, so that the
     * audit log records them in the order they happened.
     */
    private Uni<Void> deliverInOrder(Pending pending, Map<UUID, Duration> heldBack) {
        Duration wait = heldBack.get(pending.organizationId());
        if (wait != null) {
            return outbox.retryLater(pending.id(), wait, "waiting for an earlier event of its organization");
        }
        return deliver(pending).invoke(retryAfter -> {
            if (retryAfter != null) {
                heldBack.put(pending.organizationId(), retryAfter);
            }
        }).replaceWithVoid();
    }

    /** @return when to try again if the event has to wait, else {@code null} */
    private Uni<Duration> deliver(Pending pending) {
        return tenant.send(pending.event()).flatMap(result -> {
            if (result.outcome() == Outcome.DELIVERED) {
                return outbox.delivered(pending.id()).replaceWith((Duration) null);
            }
            boolean tooOld = pending.createdAt().isBefore(OffsetDateTime.now().minus(settings.giveUpAfter()));
            if (result.outcome() == Outcome.REFUSED || tooOld) {
                Log.errorf("audit event %d set aside (%s); it stays in %s", pending.id(), result.detail(),
                        outbox.table());
                return outbox.reject(pending.id(), result.detail()).replaceWith((Duration) null);
            }
            Duration after = backoff(pending.attempts());
            return outbox.retryLater(pending.id(), after, result.detail()).replaceWith(after);
        }).onFailure().recoverWithUni(e -> {
            // The lease keeps it (and, through claim, its organization's later events) for a while.
            Log.debugf("audit event %d not delivered: %s", pending.id(), e.toString());
            return Uni.createFrom().item(AuditOutbox.LEASE);
        });
    }

    Duration backoff(int attempts) {
        long capped = Math.min(settings.maxBackoff().toMillis(), 1000L << Math.min(20, Math.max(0, attempts - 1)));
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
