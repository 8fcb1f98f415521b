package dev.latchkey.common.db;

import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * Every service's PostgreSQL pool as Quarkus makes it, except that the Vert.x client's prepared-statement cache
 * ({@code quarkus.datasource.reactive.cache-prepared-statements}, on in every service) also keeps statements longer
 * than its default limit of 2,048 characters, up to {@code latchkey.datasource.statement-cache-sql-limit}.
 * <p>
 * Why: a statement that is not cached is sent as an unnamed one, so the client waits for a Parse/Describe round
 * trip before each execution and PostgreSQL parses and plans it every time. identity's refresh statement (2.3k
 * characters) spent more of PostgreSQL's time in the parser and planner than in the update itself (perf), and its
 * two round trips kept every refresh waiting on the database twice as long. Cached, a statement costs one
 * Bind/Execute round trip on a plan PostgreSQL already holds.
 * <p>
 * The pool connects with the options Quarkus resolved at start (URL, credentials, additional properties such as
 * identity's {@code plan_cache_mode}); Quarkus's own pool would ask a credentials provider again at each new
 * connection, which no Latchkey service configures.
 */
@Singleton
public class StatementCachingPools implements PgPoolCreator {

    private final int sqlLimit;

    public StatementCachingPools(DatabaseConfig config) {
        this.sqlLimit = config.statementCacheSqlLimit();
    }

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> databases = input.pgConnectOptionsList();
        for (PgConnectOptions database : databases) {
            database.setPreparedStatementCacheSqlLimit(sqlLimit);
        }
        return PgDriver.INSTANCE.createPool(input.vertx(), databases, input.poolOptions());
    }
}
