package dev.latchkey.identity.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool keeps long statements prepared ({@link dev.latchkey.common.db.StatementCachingPools}): the refresh
 * rotation is longer than the Vert.x client's default limit of 2,048 characters, and a statement left out of the
 * cache is parsed and planned by PostgreSQL at every execution.
 */
@QuarkusTest
class StatementCacheTest {

    @Inject
    Pool pool;

    @Test
    void aStatementLongerThanTheClientsDefaultLimitIsPreparedOncePerConnection() {
        // 3,000 characters of SQL, unique to this test.
        String padding = "x".repeat(2_950);
        String sql = "select $1::int + 1 as answer, '" + padding + "' as padding";
        int prepared = pool.withConnection(connection -> connection.preparedQuery(sql).execute(Tuple.of(1))
                .chain(() -> connection.preparedQuery(sql).execute(Tuple.of(2)))
                .chain(() -> connection.preparedQuery("select count(*) from pg_prepared_statements where statement = $1")
                        .execute(Tuple.of(sql)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getLong(0).intValue();
                }))
                .await().indefinitely();
        assertEquals(1, prepared, "the long statement is held as a named prepared statement on its connection");
    }
}
