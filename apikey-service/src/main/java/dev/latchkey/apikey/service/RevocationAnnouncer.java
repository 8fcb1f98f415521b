package dev.latchkey.apikey.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.apikey.config.ApiKeyConfig;
import dev.latchkey.apikey.repository.KeyVerificationStore;
import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.auth.Revocations;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Announces every revocation on Redis ({@link Revocations#publishKeyChanged}), so that all instances of all
 * services drop the key and refuse tokens exchanged from it. A revocation made by a request is announced by that
 * request; this job catches the rest: the end of a rotation grace (a revocation scheduled for later) and any
 * announcement that failed. It runs every {@code revocation-check-interval} on each instance; a row is claimed
 * with {@code FOR UPDATE SKIP LOCKED} and marked announced only after Redis took the message.
 */
@ApplicationScoped
public class RevocationAnnouncer {

    private final Pool pool;
    private final KeyVerificationStore keys;
    private final Revocations revocations;
    private final Vertx vertx;
    private final ApiKeyConfig config;
    private final long denySeconds;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public RevocationAnnouncer(Pool pool, KeyVerificationStore keys, Revocations revocations, Vertx vertx,
            ApiKeyConfig config, AuthConfig auth) {
        this.pool = pool;
        this.keys = keys;
        this.revocations = revocations;
        this.vertx = vertx;
        this.config = config;
        this.denySeconds = auth.sessionRevocationWindow().toSeconds();
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.revocationCheckInterval().toMillis(), id -> announceDue());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Until when tokens exchanged from a key revoked at {@code revokedAt} are refused: long enough for any such
     * token to have expired (the revocation window covers the longest access-token lifetime).
     */
    public long denyUntil(OffsetDateTime revokedAt) {
        return revokedAt.toEpochSecond() + denySeconds;
    }

    /** Announces one revocation now and records that it was; on failure the job retries it. */
    public Uni<Void> announce(UUID keyId, OffsetDateTime revokedAt) {
        return revocations.publishKeyChanged(keyId.toString(), denyUntil(revokedAt))
                .chain(() -> keys.markAnnounced(pool, List.of(keyId)))
                .onFailure().recoverWithUni(e -> {
                    Log.warnf("revocation of key %s not announced yet (%s); retried within a second", keyId,
                            e.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    void announceDue() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        pool.withTransaction(connection -> keys.dueRevocations(connection, 100).flatMap(due -> {
            if (due.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<Uni<Void>> published = due.stream()
                    .map(d -> revocations.publishKeyChanged(d.id().toString(), denyUntil(d.revokedAt())))
                    .toList();
            return Uni.join().all(published).andFailFast()
                    .chain(() -> keys.markAnnounced(connection, due.stream().map(KeyVerificationStore.DueRevocation::id).toList()));
        })).subscribe().with(ignored -> running.set(false), failure -> {
            running.set(false);
            Log.debugf("revocations not announced yet: %s", failure.toString());
        });
    }
}
