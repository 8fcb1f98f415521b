package dev.latchkey.common.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What latchkey-common adds to a service's PostgreSQL pool (the pool itself is {@code quarkus.datasource.*}). */
@ConfigMapping(prefix = "latchkey.datasource")
public interface DatabaseConfig {

    /**
     * The longest SQL text (in characters) the pool's prepared-statement cache keeps; the Vert.x client's own
     * limit is 2,048, which leaves Latchkey's longest hot statements uncached ({@link StatementCachingPools}).
     */
    @WithDefault("16384")
    int statementCacheSqlLimit();
}
