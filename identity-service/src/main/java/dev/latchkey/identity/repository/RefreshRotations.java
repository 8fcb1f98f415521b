package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.batch.Batcher;
import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.domain.User;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The refresh hot path in plain reactive SQL, batched. Hibernate Reactive took ten round trips per refresh (three
 * finds, then BEGIN, a locking select, a select, an insert, two updates and COMMIT), and bench/identity measured it
 * at a few percent of the client-credentials rate; the rest of the session model stays in Panache entities
 * ({@link Session}, {@link dev.latchkey.identity.domain.RefreshToken}).
 * <p>
 * Each refresh needs one read and one write. Both go through a {@link Batcher}: refreshes arriving while a
 * statement is in flight share the next one, so under load one round trip and one commit (one WAL flush) serve many
 * refreshes, and with no load a refresh is sent at once, alone. bench/identity measured PostgreSQL spending about
 * 350 µs of CPU per refresh with a statement per refresh, most of it per statement and per commit rather than per
 * row. A batch is one statement over arrays ({@code unnest}); every row keeps the conditions it had alone.
 */
@ApplicationScoped
public class RefreshRotations {

    /** A presented refresh token with its session and user, as read (the entities are detached copies). */
    public record Presented(OffsetDateTime rotatedAt, Session session, User user) {
    }

    /** One rotation to make; see {@link #rotate}. */
    private record Rotation(String tokenHash, String freshHash, Session session, OffsetDateTime now,
            OffsetDateTime graceStart) {
    }

    /** Reads at most this many tokens, and rotates at most this many, per statement. */
    static final int MAX_BATCH = 64;

    private static final String FIND = "select t.token_hash, t.rotated_at, s.id as s_id, s.user_id, s.organization_id,"
            + " s.created_at as s_created_at, s.last_used_at, s.expires_at, s.last_token_expires_at, s.ended_at,"
            + " s.end_reason, s.user_agent, s.client_address, u.email, u.name, u.email_verified_at, u.status,"
            + " u.approved_at, u.last_organization_id, u.created_at as u_created_at, u.updated_at"
            + " from identity.refresh_tokens t join identity.sessions s on s.id = t.session_id"
            + " join identity.users u on u.id = s.user_id where t.token_hash = any($1::text[])";

    /**
     * One statement, atomic, for a batch in which no session appears twice: marks each presented token rotated
     * (unless it already was, within the grace window), touches its session if that is still live, and stores the
     * new token's hash; it returns the new hashes it stored. A refresh racing another statement on the same token
     * serialises on its row and re-checks the conditions after the other committed.
     */
    private static final String ROTATE = "with input as (select * from unnest($1::text[], $2::text[], $3::uuid[],"
            + " $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::uuid[], $8::text[], $9::text[])"
            + " as x(old_hash, fresh_hash, session_id, now, grace_start, token_expires_at, organization_id,"
            + " user_agent, client_address)),"
            + " old as (update identity.refresh_tokens t set rotated_at = coalesce(t.rotated_at, i.now) from input i"
            + " where t.token_hash = i.old_hash and t.session_id = i.session_id"
            + " and (t.rotated_at is null or t.rotated_at > i.grace_start) returning t.token_hash),"
            + " live as (update identity.sessions s set last_used_at = i.now,"
            + " last_token_expires_at = i.token_expires_at, organization_id = i.organization_id,"
            + " user_agent = coalesce(i.user_agent, s.user_agent),"
            + " client_address = coalesce(i.client_address, s.client_address)"
            + " from old o join input i on i.old_hash = o.token_hash"
            + " where s.id = i.session_id and s.ended_at is null and s.expires_at > i.now returning s.id)"
            + " insert into identity.refresh_tokens (token_hash, session_id, created_at)"
            + " select i.fresh_hash, i.session_id, i.now from live l join input i on i.session_id = l.id"
            + " returning token_hash";

    private final Pool pool;
    /** One read at a time, for the same reason: bigger batches (5 tokens a read at 32 connections, against 3 with two). */
    private final Batcher<String, Presented> finds;
    /**
     * One rotating statement at a time. Two running at once could each hold a row the other waits for (two
     * concurrent refreshes of each of two sessions, landing in opposite batches) and PostgreSQL would abort one with a
     * deadlock; and one at a time makes the biggest batches: each commit carries everything that arrived during the
     * previous one. bench/identity measured one writer at 3.3k refreshes/s against 2.9k with two and 2.4k with four
     * (sessions partitioned between them), and PostgreSQL's CPU per refresh at 150 µs against 210–250 µs.
     */
    private final Batcher<Rotation, Boolean> rotations;

    public RefreshRotations(Pool pool) {
        this.pool = pool;
        this.finds = new Batcher<>(MAX_BATCH, 1, this::findAll);
        this.rotations = new Batcher<>(MAX_BATCH, 1, this::rotateAll);
    }

    /** The token with its session and user, or null when no such token is stored. */
    public Uni<Presented> find(String tokenHash) {
        return finds.submit(tokenHash);
    }

    private Future<List<Presented>> findAll(List<String> hashes) {
        return pool.getDelegate().preparedQuery(FIND).execute(io.vertx.sqlclient.Tuple.of(hashes.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Presented> found = new HashMap<>();
                    for (io.vertx.sqlclient.Row row : rows) {
                        found.put(row.getString("token_hash"), read(row));
                    }
                    List<Presented> results = new ArrayList<>(hashes.size());
                    for (String hash : hashes) {
                        results.add(found.get(hash));
                    }
                    return results;
                });
    }

    private static Presented read(io.vertx.sqlclient.Row row) {
        Session session = new Session();
        session.id = row.getUUID("s_id");
        session.userId = row.getUUID("user_id");
        session.organizationId = row.getUUID("organization_id");
        session.createdAt = row.getOffsetDateTime("s_created_at");
        session.lastUsedAt = row.getOffsetDateTime("last_used_at");
        session.expiresAt = row.getOffsetDateTime("expires_at");
        session.lastTokenExpiresAt = row.getOffsetDateTime("last_token_expires_at");
        session.endedAt = row.getOffsetDateTime("ended_at");
        session.endReason = row.getString("end_reason");
        session.userAgent = row.getString("user_agent");
        session.clientAddress = row.getString("client_address");
        User user = new User();
        user.id = session.userId;
        user.email = row.getString("email");
        user.name = row.getString("name");
        user.emailVerifiedAt = row.getOffsetDateTime("email_verified_at");
        user.status = row.getString("status");
        user.approvedAt = row.getOffsetDateTime("approved_at");
        user.lastOrganizationId = row.getUUID("last_organization_id");
        user.createdAt = row.getOffsetDateTime("u_created_at");
        user.updatedAt = row.getOffsetDateTime("updated_at");
        return new Presented(row.getOffsetDateTime("rotated_at"), session, user);
    }

    /**
     * Rotates {@code tokenHash} to {@code freshHash} when the token is current (or was rotated after
     * {@code graceStart}) and its session is live at {@code now}. The session's values are taken from
     * {@code session}: organization, token expiry, and agent and address unless null.
     *
     * @return whether it rotated; false when the token, its session or the grace window did not allow it
     */
    public Uni<Boolean> rotate(String tokenHash, String freshHash, Session session, OffsetDateTime now,
            OffsetDateTime graceStart) {
        return rotations.submit(new Rotation(tokenHash, freshHash, session, now, graceStart));
    }

    /**
     * Rotates a batch in rounds in which every session appears once (a client's double send puts the same token
     * in one batch twice): the rounds run one after another, so the second of two sends sees the first's rotation
     * and is judged against the grace window, as it would be alone.
     */
    private Future<List<Boolean>> rotateAll(List<Rotation> batch) {
        List<List<Rotation>> rounds = new ArrayList<>();
        Map<UUID, Integer> seen = new HashMap<>();
        for (Rotation rotation : batch) {
            int round = seen.merge(rotation.session().id, 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(rotation);
        }
        Set<String> stored = new HashSet<>();
        Future<Void> done = Future.succeededFuture();
        for (List<Rotation> round : rounds) {
            done = done.compose(ignored -> rotateRound(round).map(fresh -> {
                stored.addAll(fresh);
                return null;
            }));
        }
        return done.map(ignored -> {
            List<Boolean> results = new ArrayList<>(batch.size());
            for (Rotation rotation : batch) {
                results.add(stored.contains(rotation.freshHash()));
            }
            return results;
        });
    }

    private Future<List<String>> rotateRound(List<Rotation> round) {
        int n = round.size();
        String[] old = new String[n];
        String[] fresh = new String[n];
        UUID[] sessions = new UUID[n];
        OffsetDateTime[] now = new OffsetDateTime[n];
        OffsetDateTime[] graceStart = new OffsetDateTime[n];
        OffsetDateTime[] tokenExpiresAt = new OffsetDateTime[n];
        UUID[] organizations = new UUID[n];
        String[] agents = new String[n];
        String[] addresses = new String[n];
        for (int i = 0; i < n; i++) {
            Rotation r = round.get(i);
            old[i] = r.tokenHash();
            fresh[i] = r.freshHash();
            sessions[i] = r.session().id;
            now[i] = r.now();
            graceStart[i] = r.graceStart();
            tokenExpiresAt[i] = r.session().lastTokenExpiresAt;
            organizations[i] = r.session().organizationId;
            agents[i] = r.session().userAgent;
            addresses[i] = r.session().clientAddress;
        }
        return pool.getDelegate().preparedQuery(ROTATE).execute(io.vertx.sqlclient.Tuple.from(new Object[] { old, fresh,
                sessions, now, graceStart, tokenExpiresAt, organizations, agents, addresses })).map(rows -> {
                    List<String> stored = new ArrayList<>(rows.rowCount());
                    for (io.vertx.sqlclient.Row row : rows) {
                        stored.add(row.getString(0));
                    }
                    return stored;
                });
    }
}
