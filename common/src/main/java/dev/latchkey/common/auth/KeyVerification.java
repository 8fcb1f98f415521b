package dev.latchkey.common.auth;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;

/**
 * apikey-service's answer about a key: always a status, never an error, and nothing about a key that is not
 * valid beyond its status (and, for a rate-limited one, when to retry). The body of
 * {@code POST /internal/v1/keys/verify}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "KeyVerification")
public record KeyVerification(
        boolean valid,
        @Schema(enumeration = { "VALID", "NOT_FOUND", "REVOKED", "EXPIRED", "RATE_LIMITED", "MALFORMED" }) String status,
        @JsonProperty("key_id") String keyId,
        @JsonProperty("organization_id") String organizationId,
        String name,
        @Schema(enumeration = { "read", "read_write" }) String capability,
        @JsonProperty("resource_scope") Scope resourceScope,
        List<String> scopes,
        @JsonProperty("rate_limit") RateLimit rateLimit,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        @Schema(description = "RATE_LIMITED only: milliseconds until the next request is allowed")
        @JsonProperty("retry_after_ms") Long retryAfterMillis,
        @Schema(description = "When the key's limit was applied: requests left in the burst")
        @JsonProperty("rate_limit_remaining") Long rateLimitRemaining,
        @Schema(description = "When the key's limit was applied: milliseconds until the allowance is full again")
        @JsonProperty("rate_limit_reset_ms") Long rateLimitResetMillis) {

    public static final String VALID = "VALID";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String REVOKED = "REVOKED";
    public static final String EXPIRED = "EXPIRED";
    public static final String RATE_LIMITED = "RATE_LIMITED";
    public static final String MALFORMED = "MALFORMED";

    /** A resource scope on the wire: {@code {"type": "project", "ids": ["p1"]}}. */
    public record Scope(@Schema(enumeration = { "organization", "project", "branch" }) String type, List<String> ids) {

        public static Scope of(ResourceScope scope) {
            return new Scope(scope.type().value(), scope.organizationWide() ? null : List.copyOf(scope.ids()));
        }

        public ResourceScope toResourceScope() {
            ResourceScope.Type parsed = ResourceScope.Type.parse(type);
            if (parsed == null || parsed == ResourceScope.Type.ORGANIZATION) {
                return ResourceScope.ORGANIZATION;
            }
            return ResourceScope.of(parsed, ids == null ? List.of() : ids);
        }
    }

    /** A verdict without details, for any status but VALID and RATE_LIMITED. */
    public static KeyVerification of(String status) {
        return new KeyVerification(false, status, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A valid key's verdict. */
    public static KeyVerification valid(String keyId, String organizationId, String name, Capability capability,
            ResourceScope scope, List<String> scopes, RateLimit rateLimit, OffsetDateTime expiresAt) {
        return new KeyVerification(true, VALID, keyId, organizationId, name, capability.value(),
                Scope.of(scope), scopes, rateLimit, expiresAt, null, null, null);
    }

    /** This verdict with the outcome of applying the key's rate limit to this request. */
    public KeyVerification withRateLimit(RateLimiter.Decision decision) {
        String newStatus = decision.allowed() ? status : RATE_LIMITED;
        return new KeyVerification(decision.allowed() && valid, newStatus, keyId, organizationId, name, capability,
                resourceScope, scopes, rateLimit, expiresAt,
                decision.allowed() ? null : decision.retryAfterMillis(), decision.remaining(),
                decision.resetAfterMillis());
    }

    /** The key exists and may be used (it may still be over its rate limit for this request). */
    @JsonIgnore
    public boolean keyUsable() {
        return VALID.equals(status) || RATE_LIMITED.equals(status);
    }

    @JsonIgnore
    public boolean rateLimited() {
        return RATE_LIMITED.equals(status);
    }

    /** The caller this key stands for, with the key's organization, capability, scope and limit. */
    public VerifiedToken toCaller() {
        Capability parsed = Capability.parse(capability);
        long expiry = expiresAt == null ? Long.MAX_VALUE / 1000 : expiresAt.toEpochSecond();
        return VerifiedToken.ofApiKey(keyId, organizationId, parsed == null ? Capability.READ_WRITE : parsed,
                resourceScope == null ? ResourceScope.ORGANIZATION : resourceScope.toResourceScope(), scopes, rateLimit,
                expiry);
    }
}
