package dev.latchkey.webhook.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "latchkey.webhook")
public interface WebhookConfig {

    /**
     * Key-encryption key for providers' signing secrets at rest: base64 of 32 random bytes
     * ({@code openssl rand -base64 32}). Losing it makes the stored secrets unusable. Env: LATCHKEY_WEBHOOK_KEK.
     * Required in production.
     */
    String kek();

    /** Largest delivery body accepted; larger ones get 413 before anything else happens. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** How far a signed timestamp may lie from the gateway's clock, in the past and in the future. */
    @WithDefault("PT5M")
    Duration timestampWindow();

    /**
     * How long a delivery id stays reserved in Redis (never less than the window). GitHub signs no timestamp:
     * this is how long its resends are recognised as duplicates before the inbox's own uniqueness takes over.
     */
    @WithDefault("P1D")
    Duration replayTtl();

    /** How long a provider's decrypted secrets are cached per replica; changes also reach replicas at once. */
    @WithDefault("PT30S")
    Duration providerCacheTtl();

    /** Longest wait for Redis or PostgreSQL during ingestion before answering 503. */
    @WithDefault("PT3S")
    Duration dependencyTimeout();

    /** Inbox writes: most deliveries committed in one transaction (group commit). */
    @WithDefault("256")
    int inboxBatchSize();

    /**
     * Inbox writes: most transactions in flight at once on this replica. One by default: deliveries arriving during a
     * commit gather into the next one, and PostgreSQL's cost is mostly per statement and commit, so fewer writers
     * mean fuller commits and less PostgreSQL CPU per delivery at the same latency (bench/README.md, webhook-gateway).
     * A commit waits for the WAL flush either way, and concurrent commits share a flush, so a second writer does not
     * shorten the wait.
     */
    @WithDefault("1")
    int inboxWriters();

    /**
     * Inbox notifications (which wake event streams on every replica) are sent at most this often per replica, each
     * covering every commit since the last one: a stream sees an event at most this much later than its commit.
     */
    @WithDefault("PT0.025S")
    Duration streamNotifyInterval();

    /** Event streams re-read the inbox this often even without a notification (a lost LISTEN connection). */
    @WithDefault("PT5S")
    Duration streamPollInterval();

    /** Events listed per page at most. */
    @WithDefault("100")
    int maxPageSize();

    /** How long calls to other Latchkey services may take. */
    @WithDefault("PT5S")
    Duration callTimeout();
}
