package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.batch.Batcher;
import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.domain.User;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The refresh hot path in plain reactive SQL, batched, because Hibernate Reactive took ten round trips per refresh
 * where this takes one shared statement; the row that justifies it is {@code POST /v1/auth/refresh} in bench/README's
 * "people's sign-in" section ({@code ONLY=identity bench/run}).
 * <p>
 * Refresh tokens name their session ({@link dev.latchkey.identity.session.SessionRefreshTokens}): the session row
 * holds the refresh state, and a refresh is one update of it that also returns the session and its user. The rest
 * of the session model stays in a Panache entity ({@link Session}).
 * <p>
 * Every statement goes through a {@link Batcher}: refreshes arriving while a statement is in flight share the next
 * one, so under load one round trip and one commit (one WAL flush) serve many refreshes, and with no load a refresh
 * is sent at once, alone. PostgreSQL's cost per refresh is mostly per statement and per commit rather than per
 * row. A batch is one statement over arrays ({@code unnest}); every row keeps the conditions it had alone.
 */
@ApplicationScoped
public class RefreshRotations {

    /**
     * A session with its user, as read (the entities are detached copies); {@code granted} whether the session is
     * granted to an OAuth client (read by {@link #findSession} only; false after a refresh).
     */
    public record Presented(Session session, User user, boolean granted) {
    }

    /** One refresh of a session whose tokens name it; see {@link #refreshSession}. */
    private record SessionRotation(int generation, String presented, String fresh, Session session,
            OffsetDateTime now, OffsetDateTime graceStart, boolean firstParty) {
    }

    /** The session is granted to an OAuth client (a row of identity.oauth_sessions, by its primary key). */
    private static final String GRANTED = "exists (select 1 from identity.oauth_sessions g where g.session_id = s.id)";

    /** The most tokens a grace window's sends add beside the current one; older ones are dropped first. */
    static final int MAX_SIBLINGS = 16;

    /** Reads at most this many sessions, and refreshes at most this many, per statement. */
    static final int MAX_BATCH = 64;

    private static final String COLUMNS = "s.id as s_id, s.user_id, s.organization_id,"
            + " s.created_at as s_created_at, s.last_used_at, s.expires_at, s.last_token_expires_at, s.ended_at,"
            + " s.end_reason, s.user_agent, s.client_address, s.refresh_generation, s.refresh_hash,"
            + " s.refresh_sibling_hashes, s.refresh_previous_hash, s.refreshed_at, s.refresh_grace_until, u.email, u.name,"
            + " u.email_verified_at,"
            + " u.status, u.approved_at, u.last_organization_id, u.created_at as u_created_at, u.updated_at";

    /** The sessions by id: the session row holds the refresh state. */
    private static final String FIND_SESSIONS = "select " + COLUMNS + ", " + GRANTED + " as granted"
            + " from identity.sessions s"
            + " join identity.users u on u.id = s.user_id where s.id = any($1::uuid[])";

    /** The presented token is one of the session's current ones. */
    private static final String CURRENT = "(s.refresh_generation = i.generation"
            + " and (s.refresh_hash = i.presented or i.presented = any(s.refresh_sibling_hashes)))";

    /**
     * One statement for a batch of refreshes (no session twice): it judges each
     * row under its row lock, as a refresh alone would be, rotates it, and returns the session and its user after
     * the update ({@link #COLUMNS}). The presented token of the current generation rotates: the generation
     * advances, the presented hash becomes the previous one, the new hash the current one. The token rotated last,
     * while it is still accepted (within the grace window after its rotation, a double send or a send that lost the
     * race to this batch's earlier round; or until {@code refresh_grace_until}, see {@link #HOLD}), gets the new
     * token as a sibling of the current one. Anything else (ended, expired, an older or unknown token) updates and
     * returns nothing. The session's organization is left as it is: the refresh changes it only when the user is
     * no longer a member there ({@link #moveTo}). A first-party refresh ({@code POST /v1/auth/refresh}) of a session
     * granted to an OAuth client matches nothing either: its client refreshes it at the token endpoint. That check is
     * a primary-key probe of identity.oauth_sessions inside this statement, not another round trip.
     * <p>
     * Reading and rotating in one statement is one round trip and one statement for PostgreSQL per batch, where a
     * read and then an update were two.
     */
    private static final String REFRESH_SESSIONS = "update identity.sessions s set"
            + " refresh_generation = case when " + CURRENT + " then s.refresh_generation + 1 else s.refresh_generation end,"
            + " refresh_hash = case when " + CURRENT + " then i.fresh else s.refresh_hash end,"
            + " refresh_sibling_hashes = case when " + CURRENT + " then null"
            + " else (coalesce(s.refresh_sibling_hashes, '{}') || i.fresh)"
            + "[greatest(1, cardinality(s.refresh_sibling_hashes) - " + (MAX_SIBLINGS - 2) + "):] end,"
            + " refresh_previous_hash = case when " + CURRENT + " then i.presented else s.refresh_previous_hash end,"
            + " refreshed_at = case when " + CURRENT + " then i.now else s.refreshed_at end,"
            + " refresh_grace_until = case when " + CURRENT + " then null else s.refresh_grace_until end,"
            + " last_used_at = i.now, last_token_expires_at = i.token_expires_at,"
            + " user_agent = coalesce(i.user_agent, s.user_agent),"
            + " client_address = coalesce(i.client_address, s.client_address)"
            + " from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[],"
            + " $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::bool[])"
            + " as i(session_id, generation, presented, fresh, now, grace_start, token_expires_at,"
            + " user_agent, client_address, first_party), identity.users u"
            + " where s.id = i.session_id and u.id = s.user_id and s.ended_at is null and s.expires_at > i.now"
            + " and not (i.first_party and " + GRANTED + ") and ("
            + CURRENT + " or (s.refresh_generation = i.generation + 1 and s.refresh_previous_hash = i.presented"
            + " and (s.refreshed_at > i.grace_start or s.refresh_grace_until > i.now)))"
            + " returning " + COLUMNS;

    /**
     * A refresh that rotated but could not answer (tenant-service unavailable, say) gave its new token to nobody:
     * the presented token, now the previous one, stays accepted (as within the grace window) until the session
     * expires or rotates again, so the client's retry gets a token instead of being taken for a replay. Only while
     * the row is as that refresh left it (the same generation, the presented token still the previous one).
     */
    private static final String HOLD = "update identity.sessions set refresh_grace_until = expires_at"
            + " where id = $1 and refresh_generation = $2 and refresh_previous_hash = $3 and ended_at is null";

    /** The session acts in another organization from now on (its user left the one it acted in). */
    private static final String MOVE = "update identity.sessions set organization_id = $2 where id = $1";

    private final Pool pool;
    /**
     * Refreshes, one statement at a time. Two running at once could each hold a row the other waits for (two
     * concurrent refreshes of each of two sessions, landing in opposite batches) and PostgreSQL would abort one with a
     * deadlock; and one at a time makes the biggest batches: each commit carries everything that arrived during the
     * previous one. Measured against two and four writers with the sessions partitioned between them: one is faster
     * and costs PostgreSQL less per refresh (bench/README, "Batched refresh").
     */
    private final Batcher<SessionRotation, Presented> sessionRefreshes;
    /** Reads of sessions (a refused refresh's reason, introspection), one statement at a time too. */
    private final Batcher<UUID, Presented> sessionFinds;

    public RefreshRotations(Pool pool) {
        this.pool = pool;
        this.sessionRefreshes = new Batcher<>(MAX_BATCH, 1,
                batch -> inRounds(batch, r -> r.session().id, this::refreshSessionRound, null));
        this.sessionFinds = new Batcher<>(MAX_BATCH, 1, this::findSessions);
    }

    /**
     * Rotates the session's token of {@code generation} (hash {@code presented}) to {@code fresh}, of the next
     * generation; or, when {@code presented} is the token rotated last and still accepted (after
     * {@code graceStart}, or held), stores {@code fresh} as a sibling of the current token. {@code session} gives
     * the id, the new access token's expiry, and the agent and address unless null. {@code firstParty}: a refresh
     * at {@code POST /v1/auth/refresh}, which leaves a session granted to an OAuth client alone. See
     * {@link #REFRESH_SESSIONS}.
     *
     * @return the session and its user after the update; null when the session's state did not allow it
     *         (unknown, ended, expired, a token neither current nor still accepted, a client's session refreshed
     *         first-party)
     */
    public Uni<Presented> refreshSession(int generation, String presented, String fresh, Session session,
            OffsetDateTime now, OffsetDateTime graceStart, boolean firstParty) {
        return sessionRefreshes.submit(new SessionRotation(generation, presented, fresh, session, now, graceStart,
                firstParty));
    }

    private Future<Map<UUID, Presented>> refreshSessionRound(List<SessionRotation> round) {
        int n = round.size();
        Integer[] generations = new Integer[n];
        String[] presented = new String[n];
        String[] fresh = new String[n];
        Boolean[] firstParty = new Boolean[n];
        Touches touches = new Touches(n);
        for (int i = 0; i < n; i++) {
            SessionRotation r = round.get(i);
            generations[i] = r.generation();
            presented[i] = r.presented();
            fresh[i] = r.fresh();
            firstParty[i] = r.firstParty();
            touches.set(i, r.session(), r.now(), r.graceStart());
        }
        return pool.getDelegate().preparedQuery(REFRESH_SESSIONS).execute(io.vertx.sqlclient.Tuple.from(new Object[] {
                touches.sessions, generations, presented, fresh, touches.now, touches.graceStart, touches.tokenExpiresAt,
                touches.agents, touches.addresses, firstParty })).map(rows -> byKey(rows, row -> row.getUUID("s_id")));
    }

    /** Each row read into a {@link Presented}, by the key {@code keyOf} finds in it. */
    private static <K> Map<K, Presented> byKey(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows,
            Function<io.vertx.sqlclient.Row, K> keyOf) {
        Map<K, Presented> found = new HashMap<>();
        for (io.vertx.sqlclient.Row row : rows) {
            found.put(keyOf.apply(row), read(row));
        }
        return found;
    }

    /**
     * Keeps the presented token of a refresh that rotated but could not answer accepted ({@link #HOLD}).
     * {@code generation} is the presented token's.
     */
    public Uni<Void> hold(UUID sessionId, int generation, String presented) {
        return pool.preparedQuery(HOLD).execute(io.vertx.mutiny.sqlclient.Tuple.of(sessionId, generation + 1, presented))
                .replaceWithVoid();
    }

    /** Records the organization a session acts in from now on. */
    public Uni<Void> moveTo(UUID sessionId, UUID organizationId) {
        return pool.preparedQuery(MOVE).execute(io.vertx.mutiny.sqlclient.Tuple.of(sessionId, organizationId))
                .replaceWithVoid();
    }

    /** The session with its user (for a token that names it), or null when there is no such session. */
    public Uni<Presented> findSession(UUID sessionId) {
        return sessionFinds.submit(sessionId);
    }

    private Future<List<Presented>> findSessions(List<UUID> ids) {
        return readAll(FIND_SESSIONS, ids.toArray(UUID[]::new), row -> row.getUUID("s_id"));
    }

    /** Runs a read by an array of keys; each key's result in the keys' order, null for a key nothing matched. */
    private <K> Future<List<Presented>> readAll(String sql, K[] keys,
            Function<io.vertx.sqlclient.Row, K> keyOf) {
        return pool.getDelegate().preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.of(keys)).map(rows -> {
            Map<K, Presented> found = byKey(rows, keyOf);
            List<Presented> results = new ArrayList<>(keys.length);
            for (K key : keys) {
                results.add(found.get(key));
            }
            return results;
        });
    }

    /**
     * Runs a batch in rounds in which every session appears once (a client's double send puts the same session in
     * one batch twice): the rounds run one after another, so the second of two sends sees the first's rotation
     * and is judged as it would be alone. {@code round} answers a result for each session it updated; the others
     * get {@code otherwise}.
     */
    private static <T, R> Future<List<R>> inRounds(List<T> batch, Function<T, UUID> sessionOf,
            Function<List<T>, Future<Map<UUID, R>>> round, R otherwise) {
        List<List<T>> rounds = new ArrayList<>();
        List<List<Integer>> positions = new ArrayList<>();
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            int index = seen.merge(sessionOf.apply(batch.get(i)), 1, Integer::sum) - 1;
            if (index == rounds.size()) {
                rounds.add(new ArrayList<>());
                positions.add(new ArrayList<>());
            }
            rounds.get(index).add(batch.get(i));
            positions.get(index).add(i);
        }
        List<R> results = new ArrayList<>(java.util.Collections.nCopies(batch.size(), otherwise));
        Future<Void> done = Future.succeededFuture();
        for (int r = 0; r < rounds.size(); r++) {
            List<T> items = rounds.get(r);
            List<Integer> at = positions.get(r);
            done = done.compose(ignored -> round.apply(items).map(updated -> {
                for (int k = 0; k < items.size(); k++) {
                    R result = updated.get(sessionOf.apply(items.get(k)));
                    if (result != null) {
                        results.set(at.get(k), result);
                    }
                }
                return null;
            }));
        }
        return done.map(ignored -> results);
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
        session.refreshGeneration = row.getInteger("refresh_generation");
        session.refreshHash = row.getString("refresh_hash");
        session.refreshSiblingHashes = row.getArrayOfStrings("refresh_sibling_hashes");
        session.refreshPreviousHash = row.getString("refresh_previous_hash");
        session.refreshedAt = row.getOffsetDateTime("refreshed_at");
        session.refreshGraceUntil = row.getOffsetDateTime("refresh_grace_until");
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
        int granted = row.getColumnIndex("granted");
        return new Presented(session, user, granted >= 0 && Boolean.TRUE.equals(row.getBoolean(granted)));
    }

    /**
     * The session values a refresh takes, a column array each, in its statement's order: the session, the time,
     * the grace window's start, and what the session row is touched with.
     */
    private static final class Touches {
        final UUID[] sessions;
        final OffsetDateTime[] now;
        final OffsetDateTime[] graceStart;
        final OffsetDateTime[] tokenExpiresAt;
        final String[] agents;
        final String[] addresses;

        Touches(int n) {
            sessions = new UUID[n];
            now = new OffsetDateTime[n];
            graceStart = new OffsetDateTime[n];
            tokenExpiresAt = new OffsetDateTime[n];
            agents = new String[n];
            addresses = new String[n];
        }

        void set(int i, Session session, OffsetDateTime at, OffsetDateTime graceStartsAt) {
            sessions[i] = session.id;
            now[i] = at;
            graceStart[i] = graceStartsAt;
            tokenExpiresAt[i] = session.lastTokenExpiresAt;
            agents[i] = session.userAgent;
            addresses[i] = session.clientAddress;
        }
    }
}
