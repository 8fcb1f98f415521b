package dev.latchkey.apikey.rest;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.apikey.domain.AuditEvent.Origin;
import dev.latchkey.apikey.rest.ApiKeyViews.ApiKeyView;
import dev.latchkey.apikey.rest.ApiKeyViews.CreateKey;
import dev.latchkey.apikey.rest.ApiKeyViews.CreatedApiKey;
import dev.latchkey.apikey.rest.ApiKeyViews.Page;
import dev.latchkey.apikey.rest.ApiKeyViews.PrefixView;
import dev.latchkey.apikey.rest.ApiKeyViews.Rotate;
import dev.latchkey.apikey.rest.ApiKeyViews.Settings;
import dev.latchkey.apikey.service.ApiKeyService;
import dev.latchkey.apikey.service.KeyPrefixes;
import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.common.error.RequestIds;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * An organization's API keys. Callers: a person's token of the organization (owners and admins manage every key,
 * members read them and manage the read keys they create), an API key ({@code Authorization: Bearer},
 * {@code X-API-Key} or an alias header) or a token exchanged from one: {@code read_write} organization-wide keys act
 * as admins, {@code read} keys read. Keys of other organizations answer 404.
 */
@Cancellable(false)
@Path("/v1/api-keys")
@Tag(name = "API keys")
@BearerToken
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "auth_required, invalid_api_key, api_key_revoked, api_key_expired",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied (role), scope_insufficient (a read or narrowly scoped "
        + "key; a key that would exceed its creator), alpha_pending",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "429", description = "rate_limited: the calling key is over its limit (Retry-After, RateLimit-*)",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final KeyPrefixes prefixes;

    public ApiKeyResource(ApiKeyService keys, KeyPrefixes prefixes) {
        this.keys = keys;
        this.prefixes = prefixes;
    }

    static Origin origin(RoutingContext routing) {
        SocketAddress remote = routing.request().remoteAddress();
        return new Origin(remote == null ? null : remote.hostAddress(),
                RequestIds.fromHeader(routing.request().getHeader(RequestIds.HEADER)));
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Operation(summary = "List the organization's API keys", description = "Newest first, never their secrets. "
            + "Revoked keys only with include_revoked=true.")
    @APIResponse(responseCode = "200", description = "A page of keys",
            content = @Content(schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "400", description = "validation_failed (limit, cursor)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Page> list(@QueryParam("cursor") @Parameter(description = "next_cursor of the previous page") String cursor,
            @QueryParam("limit") @Parameter(description = "1-100, default 20") Integer limit,
            @QueryParam("include_revoked") boolean includeRevoked, @Context RoutingContext routing) {
        return keys.list(Caller.require(routing), cursor, limit, includeRevoked)
                .map(page -> new Page(page.keys().stream().map(ApiKeyView::of).toList(), page.nextCursor()));
    }

    @ClientScope(ClientScopes.API_KEYS_WRITE)
    @POST
    @Operation(summary = "Create an API key", description = "The response is the only time the key is visible. "
            + "A key never exceeds its creator (capability, resource scope, rate limit, expiry).")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CreatedApiKey.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> create(@Valid @NotNull CreateKey body, @Context RoutingContext routing) {
        return keys.create(Caller.require(routing), body.toRequest(), origin(routing))
                .map(created -> Response.created(URI.create("/v1/api-keys/" + created.key().id()))
                        .header("Cache-Control", "no-store")
                        .entity(CreatedApiKey.of(created)).build());
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Path("/settings")
    @Operation(summary = "The organization's key settings", description = "prefix: what new keys start with.")
    @APIResponse(responseCode = "200", description = "The settings",
            content = @Content(schema = @Schema(implementation = PrefixView.class)))
    public Uni<PrefixView> settings(@Context RoutingContext routing) {
        return prefixes.prefix(Caller.require(routing)).map(PrefixView::new);
    }

    @ClientScope(ClientScopes.API_KEYS_WRITE)
    @PUT
    @Path("/settings")
    @Operation(summary = "Change the organization's key settings",
            description = "New and rotated keys use the prefix; existing keys keep theirs.")
    @APIResponse(responseCode = "200", description = "The settings",
            content = @Content(schema = @Schema(implementation = PrefixView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<PrefixView> updateSettings(@Valid @NotNull Settings body, @Context RoutingContext routing) {
        return prefixes.setPrefix(Caller.require(routing), body.prefix(), origin(routing)).map(PrefixView::new);
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Path("/{id}")
    @Operation(summary = "One API key")
    @APIResponse(responseCode = "200", description = "The key",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", description = "not_found (also for other organizations' keys)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<ApiKeyView> get(@PathParam("id") String id, @Context RoutingContext routing) {
        return keys.get(Caller.require(routing), id).map(ApiKeyView::of);
    }

    @ClientScope(ClientScopes.API_KEYS_WRITE)
    @PATCH
    @Path("/{id}")
    @Operation(summary = "Rename an API key", description = "Body {\"name\"}; nothing else of a key changes: rotate "
            + "it or create another.")
    @APIResponse(responseCode = "200", description = "The key",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<ApiKeyView> rename(@PathParam("id") String id,
            @NotNull Map<String, Object> body, @Context RoutingContext routing) {
        for (String field : body.keySet()) {
            if (!"name".equals(field)) {
                throw ApiException.validation("Only 'name' can be changed; '" + field + "' cannot (rotate the key or"
                        + " create another)");
            }
        }
        if (!(body.get("name") instanceof String name) || name.isBlank() || name.strip().length() > 100) {
            throw ApiException.validation("'name' must be 1 to 100 characters");
        }
        return keys.rename(Caller.require(routing), id, name.strip(), origin(routing)).map(ApiKeyView::of);
    }

    @ClientScope(ClientScopes.API_KEYS_WRITE)
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key", description = "Immediately, everywhere (every instance of every service "
            + "within a second), including tokens exchanged from it. Revoking a revoked key changes nothing.")
    @APIResponse(responseCode = "200", description = "The revoked key",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<ApiKeyView> revoke(@PathParam("id") String id, @Context RoutingContext routing) {
        return keys.revoke(Caller.require(routing), id, origin(routing)).map(ApiKeyView::of);
    }

    @ClientScope(ClientScopes.API_KEYS_WRITE)
    @POST
    @Path("/{id}/rotate")
    @Operation(summary = "Rotate an API key", description = "A new key with the same settings (name, capability, "
            + "resource scope, rate limit, scopes, expiry) under the organization's current prefix. The old key keeps "
            + "working for grace_period_seconds (never past its own expiry; 0, the default, revokes it at once).")
    @APIResponse(responseCode = "201", description = "The new key",
            content = @Content(schema = @Schema(implementation = CreatedApiKey.class)))
    @APIResponse(responseCode = "400", description = "validation_failed (grace_period_seconds)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "api_key_revoked, api_key_expired, api_key_already_rotated",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> rotate(@PathParam("id") String id, @Valid Rotate body, @Context RoutingContext routing) {
        long grace = body == null || body.gracePeriodSeconds() == null ? 0 : body.gracePeriodSeconds();
        return keys.rotate(Caller.require(routing), id, Duration.ofSeconds(grace), origin(routing))
                .map(created -> Response.created(URI.create("/v1/api-keys/" + created.key().id()))
                        .header("Cache-Control", "no-store")
                        .entity(CreatedApiKey.of(created)).build());
    }
}
