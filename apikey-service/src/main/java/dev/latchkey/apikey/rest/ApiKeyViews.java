package dev.latchkey.apikey.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.apikey.domain.ApiKey;
import dev.latchkey.apikey.secret.VerificationStatus;
import dev.latchkey.apikey.service.ApiKeyService;
import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;

/** The JSON shapes of apikey-service's API. None of them ever holds a key but {@link CreatedApiKey}. */
final class ApiKeyViews {

    private ApiKeyViews() {
    }

    @Schema(name = "ResourceScope", description = "What a key reaches: the whole organization, or named projects or branches")
    public record ScopeBody(
            @NotNull @Schema(enumeration = { "organization", "project", "branch" }, required = true) String type,
            @Size(max = 100) @Schema(description = "The projects or branches (your own identifiers); none for organization")
            List<@NotBlank @Size(max = 200) String> ids) {

        static ScopeBody of(ResourceScope scope) {
            return new ScopeBody(scope.type().value(), scope.ids().stream().sorted().toList());
        }

        ResourceScope parse() {
            ResourceScope.Type parsed = ResourceScope.Type.parse(type);
            if (parsed == null) {
                throw ApiException.validation("'resource_scope.type' must be organization, project or branch");
            }
            List<String> named = ids == null ? List.of() : ids;
            if (parsed == ResourceScope.Type.ORGANIZATION) {
                if (!named.isEmpty()) {
                    throw ApiException.validation("'resource_scope.ids' must be empty for an organization-wide key");
                }
                return ResourceScope.ORGANIZATION;
            }
            if (named.isEmpty()) {
                throw ApiException.validation("'resource_scope.ids' must name at least one " + parsed.value());
            }
            return ResourceScope.of(parsed, named);
        }
    }

    @Schema(name = "RateLimit", description = "Requests per minute on average, up to burst at once")
    public record RateLimitBody(
            @JsonProperty("per_minute") @NotNull @Min(1) @Max(1_000_000) Integer perMinute,
            @Min(1) @Max(1_000_000) @Schema(description = "Default: per_minute") Integer burst) {

        static RateLimitBody of(RateLimit limit) {
            return limit == null ? null : new RateLimitBody(limit.perMinute(), limit.burst());
        }

        RateLimit parse() {
            return new RateLimit(perMinute, burst == null ? perMinute : burst);
        }
    }

    static Capability capability(String value) {
        if (value == null) {
            return null;
        }
        Capability parsed = Capability.parse(value);
        if (parsed == null) {
            throw ApiException.validation("'capability' must be read or read_write");
        }
        return parsed;
    }

    public record CreateKey(@NotBlank @Size(max = 100) String name,
            @JsonProperty("expires_at") @Schema(description = "Default: never (or the creating key's own end)")
            OffsetDateTime expiresAt,
            @Schema(enumeration = { "read", "read_write" },
                    description = "Default: read_write (read for members, who may create read keys only)")
            String capability,
            @JsonProperty("resource_scope") @Valid @Schema(description = "Default: the whole organization")
            ScopeBody resourceScope,
            @JsonProperty("rate_limit") @Valid @Schema(description = "Default: none (or the creating key's own limit)")
            RateLimitBody rateLimit,
            @Size(max = 50) @Schema(description = "Free-form scopes carried into exchanged tokens' scope claim")
            List<String> scopes) {

        ApiKeyService.KeyRequest toRequest() {
            return new ApiKeyService.KeyRequest(name.strip(), ApiKeyViews.capability(capability),
                    resourceScope == null ? null : resourceScope.parse(), rateLimit == null ? null : rateLimit.parse(),
                    scopes, expiresAt);
        }
    }

    public record Rotate(@JsonProperty("grace_period_seconds") @Min(0)
            @Schema(description = "How long the old key keeps working (never past its own expiry); 0 (default) "
                    + "revokes it at once")
            Long gracePeriodSeconds) {
    }

    public record Settings(@NotNull @Size(max = 20) @Schema(examples = "mao_key",
            description = "A lower-case letter, then up to 19 lower-case letters, digits or underscores") String prefix) {
    }

    public record Creator(@Schema(enumeration = { "user", "api_key", "service" }) String type, String id) {
    }

    @Schema(name = "ApiKey", description = "An API key, never its secret")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ApiKeyView(String id, String name,
            @JsonProperty("organization_id") String organizationId,
            String prefix,
            @Schema(description = "The prefix and the first random characters, e.g. mao_key_3xQa") String start,
            @JsonProperty("last_four") @Schema(description = "The key's last four characters (null for old keys)")
            String lastFour,
            @Schema(enumeration = { "active", "rotating", "expired", "revoked" },
                    description = "rotating: replaced by rotated_to, works until revoked_at") String status,
            @Schema(enumeration = { "read", "read_write" }) String capability,
            @JsonProperty("resource_scope") ScopeBody resourceScope,
            @JsonProperty("rate_limit") @Schema(description = "null: the service's default applies") RateLimitBody rateLimit,
            List<String> scopes,
            @JsonProperty("created_by") Creator createdBy,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("expires_at") OffsetDateTime expiresAt,
            @JsonProperty("revoked_at") OffsetDateTime revokedAt,
            @JsonProperty("last_used_at") @Schema(description = "Recorded in batches: a few seconds behind")
            OffsetDateTime lastUsedAt,
            @JsonProperty("rotated_from") String rotatedFrom,
            @JsonProperty("rotated_to") String rotatedTo) {

        static ApiKeyView of(ApiKey key) {
            VerificationStatus status = key.status(Instant.now());
            String shown = switch (status) {
                case REVOKED -> "revoked";
                case EXPIRED -> "expired";
                default -> key.revokedAt() != null ? "rotating" : "active";
            };
            return new ApiKeyView(key.id().toString(), key.name(), key.organizationId().toString(), key.prefix(),
                    key.start(), key.lastFour(), shown, key.capability().value(), ScopeBody.of(key.resourceScope()),
                    RateLimitBody.of(key.rateLimit()), key.scopes(),
                    key.createdBy() == null ? null : new Creator(key.createdBy().type().value(), key.createdBy().id()),
                    key.createdAt(), key.expiresAt(), key.revokedAt(), key.lastUsedAt(),
                    key.rotatedFrom() == null ? null : key.rotatedFrom().toString(),
                    key.rotatedTo() == null ? null : key.rotatedTo().toString());
        }
    }

    @Schema(name = "CreatedApiKey", description = "A new key: the only response that ever holds its secret")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreatedApiKey(String id,
            @Schema(description = "The key itself. Shown this once: store it now.") String key,
            String name,
            @JsonProperty("organization_id") String organizationId,
            String prefix, String start, @JsonProperty("last_four") String lastFour, String status,
            @Schema(enumeration = { "read", "read_write" }) String capability,
            @JsonProperty("resource_scope") ScopeBody resourceScope,
            @JsonProperty("rate_limit") RateLimitBody rateLimit,
            List<String> scopes,
            @JsonProperty("created_by") Creator createdBy,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("expires_at") OffsetDateTime expiresAt,
            @JsonProperty("rotated_from") String rotatedFrom,
            @JsonProperty("previous_key_revoked_at")
            @Schema(description = "Rotation only: when the old key stops working (the end of its grace)")
            OffsetDateTime previousKeyRevokedAt) {

        static CreatedApiKey of(ApiKeyService.Created created) {
            ApiKeyView v = ApiKeyView.of(created.key());
            return new CreatedApiKey(v.id(), created.plaintext(), v.name(), v.organizationId(),
                    v.prefix(), v.start(), v.lastFour(), v.status(), v.capability(), v.resourceScope(), v.rateLimit(),
                    v.scopes(), v.createdBy(), v.createdAt(), v.expiresAt(), v.rotatedFrom(),
                    created.previous() == null ? null : created.previous().revokedAt());
        }

        @Override
        public String toString() {
            return "CreatedApiKey[id=" + id + ", start=" + start + "]";
        }
    }

    public record Page(List<ApiKeyView> data,
            @JsonProperty("next_cursor") @Schema(description = "Pass as ?cursor= for the next page; null on the last")
            String nextCursor) {
    }

    public record PrefixView(String prefix) {
    }
}
