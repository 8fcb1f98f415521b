package dev.latchkey.webhook.rest;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.audit.AuditEvents;
import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.common.error.RequestIds;
import dev.latchkey.webhook.domain.Provider;
import dev.latchkey.webhook.domain.ProviderSecret;
import dev.latchkey.webhook.rest.Access.Permission;
import dev.latchkey.webhook.service.ProviderAudit;
import dev.latchkey.webhook.service.ProviderService.NewProvider;
import dev.latchkey.webhook.service.ProviderService.ProviderDetails;
import dev.latchkey.webhook.service.ProviderService;
import dev.latchkey.webhook.signature.HeaderNames;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1/webhook-providers")
@Tag(name = "Providers")
@Produces(MediaType.APPLICATION_JSON)
@BearerToken
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied: not an owner or admin of the organization",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class ProviderResource {

    private final ProviderService providers;
    private final Access access;
    private final ObjectMapper json;

    public ProviderResource(ProviderService providers, Access access, ObjectMapper json) {
        this.providers = providers;
        this.access = access;
        this.json = json;
    }

    public record CreateProvider(
            @Schema(description = "Unique in the organization; part of the ingestion URL", examples = "stripe") String name,
            @Schema(enumeration = { "github", "stripe", "standard", "svix", "generic" }) String scheme,
            @Schema(description = "The provider's own signing secret (Stripe's whsec_..., GitHub's); omit to have one generated")
            String secret,
            @JsonProperty("require_api_key") @Schema(description = "Also require the organization's API key; default true for generic, false otherwise")
            Boolean requireApiKey,
            @Schema(description = "generic only: header names {signature, timestamp, nonce}; default X-Signature, X-Timestamp, X-Nonce")
            Map<String, String> headers) {
        @Override
        public String toString() {
            return "CreateProvider[name=" + name + ", scheme=" + scheme + "]";
        }
    }

    public record RotateSecret(
            @Schema(description = "The provider's new secret; omit to have one generated") String secret,
            @JsonProperty("previous_expires_at") @Schema(description = "When the secrets in use stop being accepted; default in 24 hours, at most 30 days")
            OffsetDateTime previousExpiresAt) {
        @Override
        public String toString() {
            return "RotateSecret[previousExpiresAt=" + previousExpiresAt + "]";
        }
    }

    public record SecretView(String id, @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("expires_at") OffsetDateTime expiresAt) {
        static SecretView of(ProviderSecret secret) {
            return new SecretView(secret.id().toString(), secret.createdAt(), secret.expiresAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProviderView(String id, String name, String scheme,
            @JsonProperty("require_api_key") boolean requireApiKey,
            @Schema(description = "generic only") Map<String, String> headers,
            @JsonProperty("ingestion_path") String ingestionPath,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @Schema(description = "Metadata of the signing secrets; the secrets themselves are never listed") List<SecretView> secrets,
            @Schema(description = "The signing secret: only in the answer to create and rotate. Store it now.") String secret) {

        static ProviderView of(ProviderDetails details) {
            Provider p = details.provider();
            HeaderNames names = p.headerNames();
            return new ProviderView(p.id().toString(), p.name(), p.scheme().wireName(), p.requireApiKey(),
                    names == null ? null : Map.of("signature", names.signature(), "timestamp", names.timestamp(),
                            "nonce", names.nonce()),
                    "/v1/webhooks/" + p.organizationId() + "/" + p.name(), p.createdAt(),
                    details.secrets().stream().map(SecretView::of).toList(), details.secret());
        }

        @Override
        public String toString() {
            return "ProviderView[id=" + id + ", name=" + name + "]";
        }
    }

    public record ProviderList(List<ProviderView> data) {
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a provider", description = "The signing secret is in this response only.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ProviderView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "conflict: the name is taken in this organization",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> create(@Valid @NotNull CreateProvider body, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        UUID organization = access.organization(caller, Permission.PROVIDERS_MANAGE);
        return providers.create(organization, new NewProvider(body.name(), body.scheme(), body.secret(),
                body.requireApiKey(), body.headers()), origin(caller, context))
                .map(created -> Response.created(URI.create("/v1/webhook-providers/" + created.provider().id()))
                        .header("Cache-Control", "no-store")
                        .entity(ProviderView.of(created)).build());
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Operation(summary = "The organization's providers (never their secrets)")
    @APIResponse(responseCode = "200", description = "Providers by name", content = @Content(schema = @Schema(implementation = ProviderList.class)))
    public Uni<ProviderList> list(@Context RoutingContext context) {
        UUID organization = access.organization(Caller.require(context), Permission.PROVIDERS_READ);
        return providers.list(organization).map(all -> new ProviderList(all.stream().map(ProviderView::of).toList()));
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Path("/{id}")
    @Operation(summary = "One provider (never its secrets)")
    @APIResponse(responseCode = "200", description = "The provider", content = @Content(schema = @Schema(implementation = ProviderView.class)))
    @APIResponse(responseCode = "404", description = "not_found (also for other organizations' providers)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<ProviderView> get(@PathParam("id") String id, @Context RoutingContext context) {
        UUID organization = access.organization(Caller.require(context), Permission.PROVIDERS_READ);
        return providers.get(organization, providerId(id)).map(ProviderView::of);
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a provider, its secrets and its events")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "not_found", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> delete(@PathParam("id") String id, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        UUID organization = access.organization(caller, Permission.PROVIDERS_MANAGE);
        return providers.delete(organization, providerId(id), origin(caller, context)).map(x -> Response.noContent().build());
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @POST
    @Path("/{id}/secrets")
    @Operation(summary = "Roll the signing secret",
            description = "Adds a new secret (shown in this response only) and makes the ones in use expire at "
                    + "previous_expires_at; until then deliveries signed with any of them are accepted.")
    @APIResponse(responseCode = "200", description = "The provider with its new secret",
            content = @Content(schema = @Schema(implementation = ProviderView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @Consumes(MediaType.WILDCARD)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RotateSecret.class)))
    public Uni<Response> rotate(@PathParam("id") String id, String body, @Context RoutingContext context)
            throws JsonProcessingException {
        VerifiedToken caller = Caller.require(context);
        UUID organization = access.organization(caller, Permission.PROVIDERS_MANAGE);
        // The body is optional (an empty POST rolls with the defaults), so it is read here rather than bound.
        RotateSecret parsed = body == null || body.isBlank() ? null : json.readValue(body, RotateSecret.class);
        RotateSecret request = parsed == null ? new RotateSecret(null, null) : parsed; // a JSON null: the defaults too
        return providers.rotate(organization, providerId(id), request.secret(), request.previousExpiresAt(),
                origin(caller, context))
                .map(rotated -> Response.ok(ProviderView.of(rotated)).header("Cache-Control", "no-store").build());
    }

    static UUID providerId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Webhook provider");
        }
    }

    /** Who asks and from where, for the audit log. */
    private static ProviderAudit.Origin origin(VerifiedToken caller, RoutingContext context) {
        String address = context.request().remoteAddress() == null ? null
                : context.request().remoteAddress().hostAddress();
        String requestId = context.request().getHeader(RequestIds.HEADER);
        return new ProviderAudit.Origin(AuditEvents.actor(caller), address,
                requestId == null ? null : RequestIds.fromHeader(requestId));
    }
}
