package dev.latchkey.identity.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.DeniedTokens;
import dev.latchkey.common.auth.SessionStatusLookup;
import dev.latchkey.identity.config.IdentityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * identity owns sessions and revoked tokens, so its own revocation checks read its database instead of asking over
 * HTTP. Plain reactive SQL, not Panache: these run from Redis callbacks and the request filter, outside any
 * Hibernate session, and are indexed reads.
 */
@ApplicationScoped
public class LocalSessionStatus implements SessionStatusLookup {

    private final Pool pool;
    private final long tokenTtlSeconds;

    public LocalSessionStatus(Pool pool, IdentityConfig config) {
        this.pool = pool;
        this.tokenTtlSeconds = config.accessTokenTtl().toSeconds();
    }

    @Override
    public Uni<Long> denyUntil(String sid) {
        long unknown = Instant.now().getEpochSecond() + tokenTtlSeconds;
        UUID id = SessionService.uuid(sid);
        if (id == null) {
            return Uni.createFrom().item(unknown);
        }
        return pool.preparedQuery("select ended_at, last_token_expires_at from identity.sessions where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return unknown;
                    }
                    Row row = rows.iterator().next();
                    return row.getOffsetDateTime("ended_at") == null ? 0L
                            : row.getOffsetDateTime("last_token_expires_at").toEpochSecond();
                });
    }

    @Override
    public Uni<Map<String, Long>> endedSince(long epochSecond) {
        return pool.preparedQuery("""
                select id, last_token_expires_at from identity.sessions
                where ended_at >= to_timestamp($1) and last_token_expires_at > now()""")
                .execute(Tuple.of((double) epochSecond))
                .map(rows -> {
                    Map<String, Long> out = new HashMap<>();
                    for (Row row : rows) {
                        out.put(row.getUUID("id").toString(), row.getOffsetDateTime("last_token_expires_at").toEpochSecond());
                    }
                    return out;
                });
    }

    @Override
    public Uni<DeniedTokens.Denied> deniedSince(long epochSecond) {
        Tuple since = Tuple.of((double) epochSecond);
        Uni<Map<String, Long>> tokens = pool.preparedQuery("""
                select jti, deny_until from identity.revoked_tokens
                where revoked_at >= to_timestamp($1) and deny_until > now()""")
                .execute(since).map(rows -> {
                    Map<String, Long> out = new HashMap<>();
                    rows.forEach(row -> out.put(row.getString("jti"), row.getOffsetDateTime("deny_until").toEpochSecond()));
                    return out;
                });
        Uni<Map<String, DeniedTokens.ClientDenial>> clients = pool.preparedQuery("""
                select client_id, max(revoked_at) as revoked_at, max(deny_until) as deny_until
                from identity.revoked_clients where revoked_at >= to_timestamp($1) and deny_until > now()
                group by client_id""")
                .execute(since).map(rows -> {
                    Map<String, DeniedTokens.ClientDenial> out = new HashMap<>();
                    rows.forEach(row -> out.put(row.getString("client_id"), new DeniedTokens.ClientDenial(
                            row.getOffsetDateTime("revoked_at").toEpochSecond(),
                            row.getOffsetDateTime("deny_until").toEpochSecond())));
                    return out;
                });
        return tokens.flatMap(t -> clients.map(c -> new DeniedTokens.Denied(t, c)));
    }

    @Override
    public Uni<Long> tokenDenyUntil(String jti, String clientId, long issuedAt) {
        // One round trip: the token's own revocation, and any revocation of its client at or after its issue.
        return pool.preparedQuery("""
                select greatest(
                    (select extract(epoch from deny_until)::bigint from identity.revoked_tokens
                     where jti = $1 and deny_until > now()),
                    (select extract(epoch from max(deny_until))::bigint from identity.revoked_clients
                     where client_id = $2 and revoked_at >= to_timestamp($3) and deny_until > now())) as until""")
                .execute(Tuple.of(jti == null ? "" : jti, clientId == null ? "" : clientId, (double) issuedAt))
                .map(rows -> {
                    Long until = rows.iterator().next().getLong("until");
                    return until == null ? 0L : until;
                });
    }
}
