package dev.latchkey.apikey.rest;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.latchkey.apikey.rest.ApiKeyViews.CreatedApiKey;
import dev.latchkey.apikey.rest.ApiKeyViews.RateLimitBody;
import dev.latchkey.apikey.rest.ApiKeyViews.ScopeBody;
import dev.latchkey.apikey.service.ApiKeyService;
import dev.latchkey.apikey.service.KeyVerifier;
import dev.latchkey.common.auth.ApiKeys;
import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.KeyVerification;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Endpoints for other Latchkey services only: they require a service token (client credentials from
 * identity-service) carrying the matching {@code internal:} scope.
 */
@Cancellable(false)
@Path("/internal/v1")
@Tag(name = "Internal")
@BearerToken
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied: not a Latchkey service token with the scope",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class InternalKeyResource {

    private final ApiKeyService keys;
    private final KeyVerifier verifier;
    private final ApiKeys apiKeys;
    private final VerdictBodies bodies;

    /**
     * Verify reads its body with this reader of the application's ObjectMapper (so with every input rule of
     * latchkey-common: strict UTF-8, strict text, duplicate keys refused, and the same error bodies), made once:
     * the REST layer's Jackson reader looks its reader up and builds an ObjectReader for every request, a visible
     * share of a cached verify's cost (bench/README.md, apikey-service).
     */
    private final ObjectReader verifyReader;

    public InternalKeyResource(ApiKeyService keys, KeyVerifier verifier, ApiKeys apiKeys, VerdictBodies bodies,
            ObjectMapper mapper) {
        this.keys = keys;
        this.verifier = verifier;
        this.apiKeys = apiKeys;
        this.bodies = bodies;
        this.verifyReader = mapper.readerFor(VerifyKey.class);
    }

    public record CreateKey(@JsonProperty("tenant_id") @NotNull UUID tenantId,
            @NotBlank @Size(max = 100) String name,
            @Size(max = 50) List<String> scopes,
            @JsonProperty("expires_at") OffsetDateTime expiresAt,
            @Schema(enumeration = { "read", "read_write" }, description = "Default: read_write") String capability,
            @JsonProperty("resource_scope") @Valid ScopeBody resourceScope,
            @JsonProperty("rate_limit") @Valid RateLimitBody rateLimit,
            @JsonProperty("created_by") @Size(max = 100)
            @Schema(description = "The user the key is made for (its creator: members manage the keys they created)")
            String createdBy) {
    }

    /**
     * The verify body. Its constraints are checked by {@link #checked}, not by Bean Validation: on this endpoint,
     * called for every first use of a key by every service, Hibernate Validator's method interceptor cost more CPU
     * than the verification itself (bench/README.md, apikey-service). The annotations stay for the OpenAPI document.
     */
    public record VerifyKey(@NotNull @Size(max = MAX_KEY_CHARS) String key,
            @Schema(description = "Apply the key's rate limit to this call (default true). Latchkey services pass "
                    + "false and apply it themselves, through the same Redis script.")
            @JsonProperty("apply_rate_limit") Boolean applyRateLimit) {

        static final int MAX_KEY_CHARS = 256;

        /** The key of a verify body; 400 {@code validation_failed} as Bean Validation would answer. */
        static String checked(VerifyKey body) {
            if (body == null) {
                throw ApiException.validation("'body' must not be null");
            }
            if (body.key() == null) {
                throw ApiException.validation("'key' must not be null");
            }
            if (body.key().length() > MAX_KEY_CHARS) {
                throw ApiException.validation("'key' size must be between 0 and " + MAX_KEY_CHARS);
            }
            return body.key();
        }

        @Override
        public String toString() {
            return "VerifyKey[]";
        }
    }

    public record Revoked(@Schema(description = "How many keys were revoked by this call") int revoked) {
    }

    @POST
    @Path("/keys")
    @ResponseStatus(201)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Create an API key for an organization",
            description = "tenant-service's first key of a new organization. The response is the only time the key "
                    + "is visible.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CreatedApiKey.class)))
    @APIResponse(responseCode = "400", description = "validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<CreatedApiKey> create(@Valid @NotNull CreateKey body, @Context RoutingContext routing) {
        VerifiedToken service = Caller.requireService(routing, Scopes.API_KEYS_CREATE);
        ApiKeyService.KeyRequest request = new ApiKeyService.KeyRequest(body.name().strip(),
                ApiKeyViews.capability(body.capability()),
                body.resourceScope() == null ? null : body.resourceScope().parse(),
                body.rateLimit() == null ? null : body.rateLimit().parse(), body.scopes(), body.expiresAt());
        return keys.createForService(service, body.tenantId(), request, body.createdBy(), ApiKeyResource.origin(routing))
                .map(CreatedApiKey::of);
    }

    @POST
    @Path("/keys/verify")
    @Operation(summary = "Verify an API key",
            description = "Always 200 with a status: VALID, NOT_FOUND, REVOKED, EXPIRED, RATE_LIMITED, MALFORMED. "
                    + "A malformed or mistyped key (bad checksum) is refused without touching the database; a key seen "
                    + "before is answered from memory.")
    @APIResponse(responseCode = "200", description = "The verdict",
            content = @Content(schema = @Schema(implementation = KeyVerification.class)))
    @APIResponse(responseCode = "400", description = "validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = VerifyKey.class)))
    public Uni<byte[]> verify(byte[] json, @Context RoutingContext routing) throws IOException {
        Caller.requireService(routing, Scopes.API_KEYS_VERIFY);
        VerifyKey body = json.length == 0 ? null : verifyReader.readValue(json);
        String key = VerifyKey.checked(body);
        Uni<KeyVerification> verdict = Boolean.FALSE.equals(body.applyRateLimit()) ? apiKeys.verify(key) : apiKeys.check(key);
        // The body is a KeyVerification (see @APIResponse), written once per verdict: VerdictBodies.
        return verdict.map(bodies::of);
    }

    public record KeyStatus(@Schema(description = "Whether tokens exchanged from the key may be accepted") boolean active,
            @JsonProperty("deny_until") @Schema(description = "When not active: refuse its tokens until then (epoch s)")
            long denyUntil) {
    }

    @GET
    @Path("/keys/{keyId}/status")
    @Operation(summary = "Whether a key's exchanged tokens may be accepted",
            description = "Asked by services whose caches are not trusted (no revocation subscription) for a token "
                    + "exchanged from a key. An unknown id is not active.")
    @APIResponse(responseCode = "200", description = "The status",
            content = @Content(schema = @Schema(implementation = KeyStatus.class)))
    public Uni<KeyStatus> status(@PathParam("keyId") String keyId, @Context RoutingContext routing) {
        Caller.requireService(routing, Scopes.API_KEYS_VERIFY);
        return verifier.denyUntil(keyId).map(until -> new KeyStatus(until == 0, until));
    }

    public record DeniedKey(String id,
            @JsonProperty("deny_until") @Schema(description = "Refuse tokens exchanged from it until then (epoch s)")
            long denyUntil) {
    }

    public record DeniedKeys(List<DeniedKey> keys) {
    }

    @GET
    @Path("/keys/denied")
    @Operation(summary = "Keys that stopped working since a time (revocation resync)",
            description = "Revoked or expired keys since `since` (epoch s; never further back than the revocation "
                    + "window), from PostgreSQL whether or not their revocation was announced. Every service reloads "
                    + "them before it trusts its revocation caches again (at start, after a Redis outage).")
    @APIResponse(responseCode = "200", description = "The keys",
            content = @Content(schema = @Schema(implementation = DeniedKeys.class)))
    public Uni<DeniedKeys> denied(@QueryParam("since") long since, @Context RoutingContext routing) {
        Caller.requireService(routing, Scopes.API_KEYS_VERIFY);
        return verifier.deniedSince(since).map(denied -> new DeniedKeys(denied.entrySet().stream()
                .map(e -> new DeniedKey(e.getKey(), e.getValue())).toList()));
    }

    @POST
    @Path("/organizations/{organizationId}/keys/revoke")
    @Operation(summary = "Revoke every key of an organization",
            description = "tenant-service, when an organization is deleted. Each revocation reaches every service "
                    + "within a second. Calling it again revokes nothing more.")
    @APIResponse(responseCode = "200", description = "How many keys were revoked",
            content = @Content(schema = @Schema(implementation = Revoked.class)))
    @APIResponse(responseCode = "404", description = "not_found: the organization id is not a UUID",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @Consumes(MediaType.WILDCARD)
    public Uni<Revoked> revokeAll(@PathParam("organizationId") String organizationId, @Context RoutingContext routing) {
        VerifiedToken service = Caller.requireService(routing, Scopes.API_KEYS_REVOKE);
        UUID organization;
        try {
            organization = UUID.fromString(organizationId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Organization");
        }
        return keys.revokeAll(service, organization, ApiKeyResource.origin(routing)).map(Revoked::new);
    }
}
