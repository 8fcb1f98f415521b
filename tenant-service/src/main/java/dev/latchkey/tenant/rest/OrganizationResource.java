package dev.latchkey.tenant.rest;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.TokenVerifier;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.tenant.client.CreatedApiKey;
import dev.latchkey.tenant.config.TenantConfig;
import dev.latchkey.tenant.repository.OrganizationRepository.Organization;
import dev.latchkey.tenant.service.OrganizationService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Path("/v1")
@Tag(name = "Organizations")
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationResource {

    private final OrganizationService organizations;
    private final TenantConfig config;
    private final TokenVerifier tokens;

    public OrganizationResource(OrganizationService organizations, TenantConfig config, TokenVerifier tokens) {
        this.organizations = organizations;
        this.config = config;
        this.tokens = tokens;
    }

    public record CreateTenant(@NotBlank @Size(max = 100) String name) {
    }

    public record OrganizationView(String id, String name, @JsonProperty("created_at") OffsetDateTime createdAt) {
        static OrganizationView of(Organization org) {
            return new OrganizationView(org.id().toString(), org.name(), org.createdAt());
        }
    }

    public record ApiKeyView(String id,
            @Schema(description = "The API key itself. Shown this once: store it now.") String key, String start,
            String name, List<String> scopes) {
        @Override
        public String toString() {
            return "ApiKeyView[id=" + id + ", start=" + start + "]";
        }
    }

    public record NewTenant(OrganizationView organization, @JsonProperty("api_key") ApiKeyView apiKey) {
    }

    @POST
    @Path("/tenants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an organization and its first API key",
            description = "Open to anyone unless self-service creation is switched off, in which case an operator "
                    + "token (scope internal:tenants.create) is required. The API key is in this response only.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = NewTenant.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "auth_required (self-service off)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "403", description = "access_denied (self-service off, not an operator)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "dependency_unavailable",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> create(@Valid @NotNull CreateTenant body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // Open to anyone by default; when self-service is off, only an operator's service token.
        Uni<Void> allowed = config.selfService() ? Uni.createFrom().voidItem()
                : Uni.createFrom().item(() -> TokenVerifier.bearer(authorization))
                        .flatMap(tokens::verify)
                        .invoke(caller -> Caller.requireService(caller, Scopes.TENANTS_CREATE))
                        .replaceWithVoid();
        return allowed.flatMap(ignored -> organizations.create(body.name().strip())).map(created -> {
            CreatedApiKey key = created.apiKey();
            NewTenant view = new NewTenant(OrganizationView.of(created.organization()),
                    new ApiKeyView(key.id(), key.key(), key.start(), key.name(), key.scopes()));
            return Response.created(URI.create("/v1/organizations/" + created.organization().id()))
                    .header("Cache-Control", "no-store")
                    .entity(view)
                    .build();
        });
    }

    @GET
    @Path("/organizations/{id}")
    @BearerToken
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The caller's organization")
    @APIResponse(responseCode = "200", description = "The organization",
            content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    @APIResponse(responseCode = "401", description = "auth_required",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "403", description = "access_denied: the token lacks organizations:read",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found (also for other organizations' ids)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<OrganizationView> get(@PathParam("id") String id, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        return organizations.get(id, caller.tenantId(), caller.scopes()).map(OrganizationView::of);
    }
}
