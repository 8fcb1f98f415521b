package dev.latchkey.identity.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.SessionStatusLookup;
import dev.latchkey.identity.config.IdentityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * identity owns sessions, so its own revocation checks read its database instead of asking over HTTP. Plain
 * reactive SQL, not Panache: these run from Redis callbacks and the request filter, outside any Hibernate
 * session, and are two indexed reads.
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
}
