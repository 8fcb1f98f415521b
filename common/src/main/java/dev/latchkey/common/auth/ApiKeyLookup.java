package dev.latchkey.common.auth;

import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * Where {@link ApiKeys} learns what a presented key is. By default apikey-service's internal verify over HTTP
 * ({@code dev.latchkey.common.client.RemoteApiKeyLookup}); apikey-service itself replaces the bean with one
 * that reads its own database.
 */
public interface ApiKeyLookup {

    /**
     * What {@code key} is. A remote lookup counts as one use of the key: when the answer carries a rate-limit
     * decision ({@link KeyVerification#rateLimited()} or a non-null limit outcome), the caller does not
     * consume again for this request.
     */
    Uni<KeyVerification> lookup(String key);

    /**
     * Until when tokens exchanged from key {@code keyId} must be refused (epoch seconds; 0 while the key works).
     * Asked for a token that names a key while this instance's caches are not trusted (it may have missed the
     * key's revocation).
     */
    Uni<Long> denyUntil(String keyId);

    /**
     * Keys that stopped working (revoked, or past their end) since {@code epochSecond}, each with the epoch second
     * until which tokens exchanged from it must be refused. Read from apikey-service's PostgreSQL, the source of
     * truth: {@link Revocations} reloads them before it trusts its caches again, so a revocation whose announcement
     * was never heard (Redis down or wiped, an instance started later) is still refused.
     */
    Uni<Map<String, Long>> deniedSince(long epochSecond);

    /** Whether answers already include this request's rate-limit decision (true for the remote lookup). */
    default boolean consumesRateLimit() {
        return false;
    }
}
