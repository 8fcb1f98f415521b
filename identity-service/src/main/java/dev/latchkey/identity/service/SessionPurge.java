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
 * Keeps the session tables from growing for ever. Refresh tokens of the first form ({@link
 * dev.latchkey.identity.session.RefreshTokens}) stored a row per token, rotated ones kept (a replay of one must
 * still end the session): bench/identity left 1.5 million rows (420 MB) behind in a day. Sessions now keep their
 * refresh state in their own row, but the rows of sessions that started before are still purged here.
 * <ul>
 * <li>The refresh tokens of a session that can no longer refresh (ended, or past its lifetime) are deleted: none of
 * them can be used any more, and a replay has nothing left to end. Presenting one then answers 401
 * {@code invalid_refresh_token} instead of {@code session_ended}.</li>
 * <li>The session itself is kept {@code latchkey.identity.sessions.retention} (30 days) after it ended or expired,
 * then deleted with what hangs off it. Long before then no access token of it is alive (they last minutes), so
 * verifiers have nothing to deny.</li>
 * </ul>
 * Deletes go in slices of {@value #SLICE} rows, each its own short transaction, so a large backlog (the first run
 * after an upgrade) neither holds locks long nor stalls refreshes. Several instances may purge at once: the
 * deletes are idempotent.
 */
@ApplicationScoped
public class SessionPurge {

    static final int SLICE = 5000;
    /** Slices per table per run; the next run goes on where this one stopped. */
    private static final int MAX_SLICES = 200;

    private static final String TOKENS = "delete from identity.refresh_tokens where token_hash in ("
            + "select t.token_hash from identity.sessions s join identity.refresh_tokens t on t.session_id = s.id"
            + " where s.ended_at is not null or s.expires_at <= $1 limit $2)";
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

    /** Runs one purge; the counts of refresh tokens and sessions deleted. */
    public Uni<Purged> purge() {
        OffsetDateTime now = SessionService.now();
        return slices(TOKENS, now, 0, 0).flatMap(tokens -> slices(SESSIONS, now.minus(config.retention()), 0, 0)
                .map(sessions -> new Purged(tokens, sessions)))
                .invoke(purged -> {
                    if (purged.refreshTokens() + purged.sessions() > 0) {
                        Log.infof("purged %d refresh tokens of ended or expired sessions and %d sessions ended before %s",
                                purged.refreshTokens(), purged.sessions(), now.minus(config.retention()));
                    }
                });
    }

    public record Purged(long refreshTokens, long sessions) {
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
