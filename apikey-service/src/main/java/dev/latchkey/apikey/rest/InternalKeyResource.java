package dev.latchkey.apikey.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.apikey.repository.ApiKeyRepository.StoredKey;
import dev.latchkey.apikey.service.ApiKeyService;
import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.error.ErrorBody;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Endpoints for other Latchkey services only: they require a service token (client credentials from
 * identity-service) carrying the matching {@code internal:} scope.
 */
@Path("/internal/v1/keys")
@Tag(name = "Internal")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied: not a Latchkey service token with the scope",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class InternalKeyResource {

    private final ApiKeyService keys;

    public InternalKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    public record CreateKey(@JsonProperty("tenant_id") @NotNull UUID tenantId,
            @NotBlank @Size(max = 100) String name,
            @Size(max = 50) List<String> scopes,
            @JsonProperty("expires_at") OffsetDateTime expiresAt) {
    }

    public record CreatedKey(String id, @Schema(description = "The key itself: shown this once, never stored") String key,
            String start, String name, @JsonProperty("tenant_id") String tenantId, List<String> scopes,
            @JsonProperty("created_at") OffsetDateTime createdAt, @JsonProperty("expires_at") OffsetDateTime expiresAt) {

        static CreatedKey of(StoredKey stored, String plaintext) {
            return new CreatedKey(stored.id().toString(), plaintext, stored.start(), stored.name(),
                    stored.tenantId().toString(), stored.scopes(), stored.createdAt(), stored.expiresAt());
        }

        @Override
        public String toString() {
            return "CreatedKey[id=" + id + ", start=" + start + "]";
        }
    }

    public record VerifyKey(@NotNull @Size(max = 256) String key) {
        @Override
        public String toString() {
            return "VerifyKey[]";
        }
    }

    public record Verification(boolean valid,
            @Schema(enumeration = { "VALID", "NOT_FOUND", "REVOKED", "EXPIRED" }) String code,
            @JsonProperty("key_id") String keyId, @JsonProperty("tenant_id") String tenantId, List<String> scopes) {
    }

    @POST
    @BearerToken
    @ResponseStatus(201)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Create an API key for a tenant", description = "The response is the only time the key is visible.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CreatedKey.class)))
    @APIResponse(responseCode = "400", description = "validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<CreatedKey> create(@Valid @NotNull CreateKey body, @Context RoutingContext caller) {
        Caller.requireService(caller, Scopes.API_KEYS_CREATE);
        return keys.create(body.tenantId(), body.name().strip(), body.scopes(), body.expiresAt())
                .map(created -> CreatedKey.of(created.stored(), created.plaintext()));
    }

    @POST
    @Path("/verify")
    @BearerToken
    @Operation(summary = "Verify an API key", description = "Always 200 with a status: VALID, NOT_FOUND, REVOKED, EXPIRED.")
    @APIResponse(responseCode = "200", description = "The verdict",
            content = @Content(schema = @Schema(implementation = Verification.class)))
    public Uni<Verification> verify(@Valid @NotNull VerifyKey body, @Context RoutingContext caller) {
        Caller.requireService(caller, Scopes.API_KEYS_VERIFY);
        return keys.verify(body.key()).map(v -> v.status().valid()
                ? new Verification(true, v.status().name(), v.key().id().toString(), v.key().tenantId().toString(),
                        v.key().scopes())
                : new Verification(false, v.status().name(), null, null, null));
    }
}
