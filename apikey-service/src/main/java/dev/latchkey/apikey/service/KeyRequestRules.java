package dev.latchkey.apikey.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.latchkey.apikey.domain.ApiKey;
import dev.latchkey.apikey.domain.ApiKey.Creator;
import dev.latchkey.apikey.secret.KeyGrant;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;

/** What a request for a key must satisfy, and the small conversions the key services share. */
final class KeyRequestRules {

    private static final Pattern SCOPE = Pattern.compile("[a-z0-9_.:*-]{1,64}");
    private static final int MAX_SCOPES = 50;

    private KeyRequestRules() {
    }

    static KeyGrant.Settings granted(KeyGrant.Settings holds, KeyGrant.Settings requested) {
        return exceedsNot(KeyGrant.grant(holds, requested));
    }

    static KeyGrant.Settings exceedsNot(KeyGrant.Outcome outcome) {
        if (outcome instanceof KeyGrant.Exceeds exceeds) {
            throw new ApiException(403, ErrorCodes.SCOPE_INSUFFICIENT,
                    "A key never exceeds its creator: you may not give a key " + exceeds.what());
        }
        return ((KeyGrant.Granted) outcome).settings();
    }

    /**
     * 403 {@code scope_insufficient} unless {@code caller} may put each of {@code scopes} on a key, as a key never
     * exceeds its creator: a token issued to an OAuth client only scopes within its own {@code scope} (the person
     * allowed the client those and no more); a key only the Latchkey scopes ({@link ClientScopes#latchkeys}) it holds,
     * free-form ones as it likes; a person's first-party token any (the services' {@code internal:} ones are refused
     * before, by {@link #checkScopes}).
     */
    static void grantable(VerifiedToken caller, List<String> scopes) {
        for (String scope : scopes) {
            boolean held = caller.scopes().contains(scope);
            boolean may = caller.clientId() != null ? held
                    : caller.kind() == VerifiedToken.Kind.USER || held || !ClientScopes.latchkeys(scope);
            if (!may) {
                throw new ApiException(403, ErrorCodes.SCOPE_INSUFFICIENT, "A key never exceeds its creator: you may"
                        + " not give a key the scope '" + scope + "', which you do not hold");
            }
        }
    }

    static Creator creator(VerifiedToken caller) {
        return switch (caller.kind()) {
            case USER -> new Creator(Creator.Type.USER, caller.userId());
            case API_KEY -> new Creator(Creator.Type.API_KEY, caller.keyId());
            default -> new Creator(Creator.Type.SERVICE, caller.getSubject());
        };
    }

    static Map<String, Object> describe(ApiKey key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("start", key.start());
        out.put("capability", key.capability().value());
        out.put("resource_scope", key.resourceScope().type().value());
        if (!key.resourceScope().organizationWide()) {
            out.put("resource_ids", key.resourceScope().ids().stream().sorted().toList());
        }
        if (key.rateLimit() != null) {
            out.put("rate_limit_per_minute", key.rateLimit().perMinute());
            out.put("rate_limit_burst", key.rateLimit().burst());
        }
        if (key.expiresAt() != null) {
            out.put("expires_at", key.expiresAt().toInstant().toString());
        }
        return out;
    }

    static List<String> checkScopes(List<String> scopes) {
        if (scopes == null) {
            return List.of();
        }
        if (scopes.size() > MAX_SCOPES) {
            throw ApiException.validation("A key may carry at most " + MAX_SCOPES + " scopes");
        }
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw ApiException.validation("Scopes are 1-64 characters of a-z 0-9 _ . : * -");
            }
            if (scope.startsWith(Scopes.INTERNAL_PREFIX)) {
                throw ApiException.validation("Scopes starting with '" + Scopes.INTERNAL_PREFIX
                        + "' are reserved for Latchkey services");
            }
        }
        return scopes.stream().distinct().toList();
    }

    static void checkExpiry(OffsetDateTime expiresAt) {
        if (expiresAt != null && !expiresAt.toInstant().isAfter(Instant.now())) {
            throw ApiException.validation("'expires_at' must be in the future");
        }
    }

    static UUID parseId(String id) {
        UUID parsed = parseIdOrNull(id);
        if (parsed == null) {
            throw notFound();
        }
        return parsed;
    }

    static UUID parseIdOrNull(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("API key");
    }

    static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime offset(Instant value) {
        return value == null ? null : OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
    }
}
