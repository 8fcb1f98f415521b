package dev.latchkey.identity.service;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.config.IdentityConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the sessions table from growing for ever: a session is kept {@code latchkey.identity.sessions.retention}
 * (30 days) after it ended or expired, then deleted with what hangs off it. Long before then no access token of it
 * is alive (they last minutes), so verifiers have nothing to deny.
 * <p>
 * Deletes go in slices of {@value #SLICE} rows, each its own short transaction, so a large backlog neither holds
 * locks long nor stalls refreshes. Several instances may purge at once: the deletes are idempotent.
 */
@ApplicationScoped
public class SessionPurge {

    static final int SLICE = 5000;
    /** Slices per run; the next run goes on where this one stopped. */
    private static final int MAX_SLICES = 200;

    private static final String SESSIONS = "delete from identity.sessions where id in (select id from identity.sessions"
            + " where ended_at < $1 or expires_at < $1 limit $2)";

    private final Pool pool;
    private final IdentityConfig.Sessions config;

    public SessionPurge(Pool pool, IdentityConfig config) {
        this.pool = pool;
        this.config = config.sessions();
    }

    @Scheduled(every = "${latchkey.identity.sessions.purge-interval:PT10M}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().onFailure().invoke(e -> Log.warnf("sessions not purged this round: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Runs one purge; the count of sessions deleted. */
    public Uni<Purged> purge() {
        OffsetDateTime before = SessionService.now().minus(config.retention());
        return slices(SESSIONS, before, 0, 0).map(Purged::new).invoke(purged -> {
            if (purged.sessions() > 0) {
                Log.infof("purged %d sessions ended before %s", purged.sessions(), before);
            }
        });
    }

    public record Purged(long sessions) {
    }

    private Uni<Long> slices(String sql, OffsetDateTime before, long deleted, int slice) {
        return pool.preparedQuery(sql).execute(Tuple.of(before, SLICE)).flatMap(rows -> {
            long total = deleted + rows.rowCount();
            return rows.rowCount() < SLICE || slice + 1 >= MAX_SLICES
                    ? Uni.createFrom().item(total)
                    : slices(sql, before, total, slice + 1);
        });
    }
}
