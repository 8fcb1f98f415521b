package dev.latchkey.tenant.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.TokenVerifier;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.concurrent.Worker;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.tenant.client.CreatedApiKey;
import dev.latchkey.tenant.config.TenantConfig;
import dev.latchkey.tenant.policy.Slugs;
import dev.latchkey.tenant.service.OrganizationService.MyOrganization;
import dev.latchkey.tenant.service.OrganizationService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1")
@Tag(name = "Organizations")
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationResource {

    private final OrganizationService organizations;
    private final TenantConfig config;
    private final TokenVerifier tokens;
    private final Requests requests;

    public OrganizationResource(OrganizationService organizations, TenantConfig config, TokenVerifier tokens,
            Requests requests) {
        this.organizations = organizations;
        this.config = config;
        this.tokens = tokens;
        this.requests = requests;
    }

    public record CreateTenant(@NotBlank @Size(max = 100) String name) {
    }

    public record CreateOrganization(@NotBlank @Size(max = 100) String name,
            @Schema(description = "Lower-case letters, digits and inner hyphens, at most 48; made from the name when "
                    + "absent") String slug) {
    }

    public record UpdateOrganization(@Size(min = 1, max = 100) String name, String slug) {
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

    public record CreatedOrganization(String id, String name, String slug, boolean personal,
            @JsonProperty("created_at") Instant createdAt, @Schema(enumeration = "owner") String role) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MyOrganizationView(String id, String name, String slug, boolean personal,
            @Schema(enumeration = { "owner", "admin", "member" }) String role,
            @JsonProperty("joined_at") @Schema(description = "Absent for an API key") Instant joinedAt,
            @Schema(description = "The organization the caller's token acts in") boolean active) {
        static MyOrganizationView of(MyOrganization org) {
            return new MyOrganizationView(org.id().toString(), org.name(), org.slug(), org.personal(),
                    org.role() == null ? null : org.role().value(), org.joinedAt(), org.active());
        }
    }

    public record MyOrganizations(List<MyOrganizationView> organizations) {
    }

    @POST
    @Path("/tenants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an organization and its first API key",
            description = "Open to anyone unless self-service creation is switched off, in which case an operator "
                    + "token (scope internal:tenants.create) is required. The organization has no members; its "
                    + "first key is a read_write key and acts as an admin (it may invite the first owner, never "
                    + "delete the organization). The API key is in this response only.")
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
    public Uni<Response> bootstrap(@Valid @NotNull CreateTenant body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context RoutingContext context) {
        // Open to anyone by default; when self-service is off, only an operator's service token. A token seen for
        // the first time may be verified on a worker thread: come back to this request's event-loop context, where
        // Hibernate Reactive must run.
        io.vertx.core.Context request = Vertx.currentContext();
        Uni<VerifiedToken> allowed = config.selfService() ? Uni.createFrom().nullItem()
                : Worker.resumeOn(request, Uni.createFrom().item(() -> TokenVerifier.bearer(authorization))
                        .flatMap(tokens::verify)
                        .invoke(caller -> Caller.requireService(caller, Scopes.TENANTS_CREATE)));
        return allowed.flatMap(operator -> organizations.bootstrap(body.name().strip(), requests.actor(context, operator)))
                .map(created -> {
                    CreatedApiKey key = created.apiKey();
                    NewTenant view = new NewTenant(OrganizationView.of(created.organization()),
                            new ApiKeyView(key.id(), key.key(), key.start(), key.name(), key.scopes()));
                    return Response.created(URI.create("/v1/organizations/" + created.organization().id))
                            .header("Cache-Control", "no-store")
                            .entity(view)
                            .build();
                });
    }

    @POST
    @Path("/organizations")
    @BearerToken
    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Create an organization owned by the signed-in caller",
            description = "People only (a user's access token): the caller becomes its owner. The slug is made "
                    + "from the name unless given. Switch to the new organization through identity-service.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CreatedOrganization.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "403", description = "access_denied: an API key or a service",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "slug_taken",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> create(@Valid @NotNull CreateOrganization body, @Context RoutingContext context) {
        VerifiedToken caller = Caller.requireUser(context);
        String slug = slug(body.slug());
        return organizations.create(body.name().strip(), slug, caller, requests.actor(context, caller))
                .map(org -> Response.created(URI.create("/v1/organizations/" + org.id))
                        .entity(new CreatedOrganization(org.id.toString(), org.name, org.slug, org.personal(),
                                org.createdAt, "owner"))
                        .build());
    }

    @GET
    @Path("/organizations/{id}")
    @BearerToken
    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The caller's organization", description = "Any role, any API key of the organization.")
    @APIResponse(responseCode = "200", description = "The organization",
            content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    public Uni<OrganizationView> get(@PathParam("id") String id, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        return organizations.get(id, caller).map(OrganizationView::of);
    }

    @PATCH
    @Path("/organizations/{id}")
    @BearerToken
    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Rename the organization or change its slug", description = "Owners and admins.")
    @APIResponse(responseCode = "200", description = "The organization as it is now",
            content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed: nothing to change, a blank name, a bad slug",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "slug_taken",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<OrganizationView> update(@PathParam("id") String id, @Valid @NotNull UpdateOrganization body,
            @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        if (body.name() == null && body.slug() == null) {
            throw ApiException.validation("Give 'name', 'slug' or both");
        }
        if (body.name() != null && body.name().isBlank()) {
            throw ApiException.validation("'name' must not be blank");
        }
        String name = body.name() == null ? null : body.name().strip();
        return organizations.update(id, name, slug(body.slug()), caller, requests.actor(context, caller))
                .map(OrganizationView::of);
    }

    @DELETE
    @Path("/organizations/{id}")
    @BearerToken
    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Delete the organization", description = "Owners only (no API key). The organization is "
            + "marked deleted and answers 404 from then on; its pending invitations are revoked, and its API keys "
            + "and its members' sessions in it are ended at apikey-service and identity-service (retried until "
            + "done, should either be briefly down).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "personal_organization: a personal organization is deleted "
            + "with its user's account", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> delete(@PathParam("id") String id, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        return organizations.delete(id, caller, requests.actor(context, caller))
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/me/organizations")
    @BearerToken
    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The organizations the caller can switch between, with its role in each",
            description = "For a person: every organization they belong to, their personal one first; `active` "
                    + "marks the one their token acts in. For an API key: its own organization only.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MyOrganizations.class)))
    @APIResponse(responseCode = "403", description = "access_denied: a service token",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<MyOrganizations> mine(@Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        return organizations.mine(caller)
                .map(list -> new MyOrganizations(list.stream().map(MyOrganizationView::of).toList()));
    }

    private static String slug(String slug) {
        if (slug == null) {
            return null;
        }
        if (!Slugs.valid(slug)) {
            throw ApiException.validation("'slug' must be 1 to " + Slugs.MAX_LENGTH
                    + " lower-case letters, digits and inner hyphens");
        }
        return slug;
    }
}
