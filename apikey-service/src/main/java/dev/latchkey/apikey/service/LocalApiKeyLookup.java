package dev.latchkey.apikey.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.apikey.domain.ApiKey;
import dev.latchkey.common.auth.ApiKeyLookup;
import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.auth.KeyVerification;
import dev.latchkey.common.auth.RateLimit;
import io.smallrye.mutiny.Uni;

/**
 * apikey-service answers about keys from its own database; every other service asks it over HTTP. The verdict
 * carries the limit that applies (the key's own, else the configured default), so that every service enforces
 * the same one, and as {@code expires_at} the moment the key stops working (its expiry or the end of its
 * rotation grace), which no cache outlives.
 */
@ApplicationScoped
public class LocalApiKeyLookup implements ApiKeyLookup {

    private final KeyVerifier keys;
    private final RateLimit defaultLimit;

    public LocalApiKeyLookup(KeyVerifier keys, AuthConfig auth) {
        this.keys = keys;
        AuthConfig.RateLimitDefaults defaults = auth.defaultRateLimit();
        this.defaultLimit = defaults.perMinute() > 0
                ? new RateLimit(defaults.perMinute(), defaults.burst() > 0 ? defaults.burst() : defaults.perMinute())
                : null;
    }

    @Override
    public Uni<Long> denyUntil(String keyId) {
        return keys.denyUntil(keyId);
    }

    @Override
    public Uni<Map<String, Long>> deniedSince(long epochSecond) {
        return keys.deniedSince(epochSecond);
    }

    @Override
    public Uni<KeyVerification> lookup(String key) {
        return keys.verify(key).map(v -> {
            if (!v.status().valid()) {
                return KeyVerification.of(v.status().name());
            }
            ApiKey stored = v.key();
            java.time.Instant end = stored.end();
            return KeyVerification.valid(stored.id().toString(), stored.organizationId().toString(), stored.name(),
                    stored.capability(), stored.resourceScope(), stored.scopes(),
                    stored.rateLimit() != null ? stored.rateLimit() : defaultLimit,
                    end == null ? null : java.time.OffsetDateTime.ofInstant(end, java.time.ZoneOffset.UTC));
        });
    }
}
