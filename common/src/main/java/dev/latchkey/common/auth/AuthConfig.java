package dev.latchkey.common.auth;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service authenticates callers (JWT verification itself is configured by {@code mp.jwt.*}). */
@ConfigMapping(prefix = "latchkey.auth")
public interface AuthConfig {

    /**
     * How many verified tokens this instance remembers. A remembered token is not verified again until it
     * expires; each entry holds a compact copy of the token's claims (about 1 KiB; never the token itself).
     */
    @WithDefault("20000")
    long verifiedTokenCacheSize();

    /**
     * Headers that carry an API key besides {@code Authorization: Bearer}: {@code X-API-Key} and any aliases
     * your clients already send (e.g. {@code X-MAO-API-Key}). Env: LATCHKEY_API_KEY_HEADERS (comma-separated).
     */
    @WithDefault("X-API-Key")
    List<String> apiKeyHeaders();

    /** How many valid API keys this instance remembers (one entry per key, about 1 KiB). */
    @WithDefault("50000")
    long apiKeyCacheSize();

    /**
     * How long a valid key's verdict is reused without asking apikey-service. Revocation, rotation and expiry
     * reach every cache at once through Redis, so this only bounds how stale a verdict can be if a message were
     * lost while the subscription still looked healthy.
     */
    @WithDefault("PT5M")
    Duration apiKeyCacheTtl();

    /**
     * How long "no such key" is remembered, so that floods of garbage keys cannot reach PostgreSQL. A new key
     * is never affected: nobody can present it before it exists.
     */
    @WithDefault("PT30S")
    Duration apiKeyNegativeCacheTtl();

    /** How many unknown keys are remembered (bounded separately, so garbage never evicts valid keys). */
    @WithDefault("20000")
    long apiKeyNegativeCacheSize();

    /**
     * How far back an instance reloads ended sessions when it (re)subscribes to revocations: at least the
     * lifetime of an access token plus clock skew.
     */
    @WithDefault("PT1H")
    Duration sessionRevocationWindow();

    /**
     * The Redis hash every service records API-key uses in, for apikey-service to drain into PostgreSQL; the
     * same for every service of one installation. Env: LATCHKEY_LAST_USED_HASH.
     */
    @WithDefault(ApiKeys.LAST_USED_HASH)
    String lastUsedHash();

    /** The limit for keys that have none of their own. */
    RateLimitDefaults defaultRateLimit();

    interface RateLimitDefaults {
        /** Requests per minute; 0 (the default) means keys without their own limit are not limited. */
        @WithDefault("0")
        int perMinute();

        /** Requests that may arrive at once; 0 means the same as per-minute. */
        @WithDefault("0")
        int burst();
    }
}
