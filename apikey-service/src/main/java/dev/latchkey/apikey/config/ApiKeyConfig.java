package dev.latchkey.apikey.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** apikey-service's settings ({@code latchkey.apikey.*}); each is readable from the environment. */
@ConfigMapping(prefix = "latchkey.apikey")
public interface ApiKeyConfig {

    /**
     * The pepper keys are hashed under (HMAC-SHA-256), at least 32 characters, e.g. {@code openssl rand -base64
     * 32}. Env: LATCHKEY_APIKEY_PEPPER; production refuses to start without it.
     */
    String pepper();

    /**
     * Peppers used before the current one (comma-separated), still accepted for lookup while keys hashed under
     * them exist; each such key is re-hashed under the current pepper when it is next used. Env:
     * LATCHKEY_APIKEY_PREVIOUS_PEPPERS.
     */
    Optional<List<String>> previousPeppers();

    /** The prefix of keys of organizations that have not chosen their own ({@code PUT /v1/api-keys/settings}). */
    @WithDefault("lk")
    String defaultPrefix();

    /** The longest grace a rotation may give the old key (it never outlives its own expiry either). */
    @WithDefault("P7D")
    Duration maxRotationGrace();

    /** Keys per page of {@code GET /v1/api-keys} unless {@code limit} says otherwise. */
    @WithDefault("20")
    int defaultPageSize();

    /** The largest {@code limit} of {@code GET /v1/api-keys}. */
    @WithDefault("100")
    int maxPageSize();

    /** How often last-used times are moved from Redis to PostgreSQL. */
    @WithDefault("PT2S")
    Duration lastUsedFlushInterval();

    /**
     * How often this instance looks for rotation graces that just ended, to announce them (tokens exchanged from
     * the old key are refused from then on). Caches drop such keys on their own at that instant.
     */
    @WithDefault("PT0.5S")
    Duration revocationCheckInterval();

    /** Delivery of audit events to tenant-service. */
    Audit audit();

    interface Audit {
        /** How often the outbox is checked for events due (besides right after each change). */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** Events delivered per round. */
        @WithDefault("50")
        int batchSize();

        /** The longest wait between two attempts to deliver one event (backoff doubles up to it). */
        @WithDefault("PT5M")
        Duration maxBackoff();

        /**
         * After this long an event tenant-service keeps refusing is set aside ({@code rejected_at}) instead of
         * retried; it stays in {@code apikey.audit_outbox} for an operator.
         */
        @WithDefault("P7D")
        Duration giveUpAfter();
    }
}
