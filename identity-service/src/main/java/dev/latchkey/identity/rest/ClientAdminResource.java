package dev.latchkey.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.domain.OAuthClient;
import dev.latchkey.identity.service.ClientRegistry;
import dev.latchkey.identity.service.OperatorAuth;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** The registry of OAuth clients, for operators (an operator token, or HTTP Basic where enabled). */
@Cancellable(false)
@Path("/v1/admin/clients")
@Tag(name = "Operators")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied (not an operator)",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class ClientAdminResource {

    private final OperatorAuth operators;
    private final ClientRegistry clients;

    public ClientAdminResource(OperatorAuth operators, ClientRegistry clients) {
        this.operators = operators;
        this.clients = clients;
    }

    public record NewClient(@JsonProperty("client_id") @NotBlank @Size(max = 63) String clientId,
            @Size(max = 100) String name,
            @JsonProperty("client_type") @NotBlank @Schema(enumeration = { "public", "confidential" }) String clientType,
            @JsonProperty("redirect_uris") @NotNull @Size(min = 1, max = 20) List<@NotBlank @Size(max = 2000) String> redirectUris,
            @JsonProperty("skip_consent") @Schema(description = "First-party clients: no consent page") Boolean skipConsent,
            @Schema(description = RESOURCES) @Size(max = 20) List<@NotBlank @Size(max = 2000) String> resources) {
    }

    static final String RESOURCES = "RFC 8707 resource servers the client may ask tokens for (absolute URIs, no "
            + "fragment), one per token with the resource parameter; a token for one has it as its only aud. None by "
            + "default: the client's tokens are for Latchkey's own audience.";

    public record ClientChange(@Size(max = 100) String name,
            @JsonProperty("redirect_uris") @Size(min = 1, max = 20) List<@NotBlank @Size(max = 2000) String> redirectUris,
            @JsonProperty("skip_consent") Boolean skipConsent,
            @Schema(description = RESOURCES) @Size(max = 20) List<@NotBlank @Size(max = 2000) String> resources) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "OAuthClient")
    public record ClientView(@JsonProperty("client_id") String clientId, String name,
            @JsonProperty("client_type") String clientType, @JsonProperty("redirect_uris") List<String> redirectUris,
            @JsonProperty("skip_consent") boolean skipConsent, @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("updated_at") OffsetDateTime updatedAt, @Schema(description = RESOURCES) List<String> resources,
            @Schema(description = "Shown once, at creation and at rotation; only its SHA-256 is kept")
            @JsonProperty("client_secret") String clientSecret) {
        static ClientView of(OAuthClient c, String secret) {
            return new ClientView(c.id, c.name, c.clientType, c.redirectUriList(), c.skipConsent, c.createdAt,
                    c.updatedAt, c.resourceList(), secret);
        }

        @Override
        public String toString() {
            return "ClientView[" + clientId + "]";
        }
    }

    public record ClientList(List<ClientView> clients) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Register a client",
            description = "confidential: a client_secret is generated and shown once. Redirect URIs: https, http on "
                    + "127.0.0.1, [::1] or localhost, or a reverse-domain private scheme; no fragment, no user info. "
                    + "A public client's loopback URIs (http://127.0.0.1/path, http://[::1]/path) match on any port.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, client_id_reserved (Latchkey's token audience, "
            + "or the id of one of its service or first-party clients: an ID token's aud is its client id)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "client_exists",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> create(@Valid @NotNull NewClient body, @Context RoutingContext routing) {
        return operators.require(routing.request())
                .flatMap(ok -> clients.create(body.clientId(), body.name(), body.clientType(), body.redirectUris(),
                        Boolean.TRUE.equals(body.skipConsent()), body.resources()))
                .map(created -> Response.status(201).header("Cache-Control", "no-store")
                        .entity(ClientView.of(created.client(), created.secret())).build());
    }

    @GET
    @Operation(summary = "List the clients")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClientList.class)))
    public Uni<ClientList> list(@Context RoutingContext routing) {
        return operators.require(routing.request()).flatMap(ok -> clients.list())
                .map(list -> new ClientList(list.stream().map(c -> ClientView.of(c, null)).toList()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One client")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<ClientView> get(@PathParam("id") String id, @Context RoutingContext routing) {
        return operators.require(routing.request()).flatMap(ok -> clients.get(id)).map(c -> ClientView.of(c, null));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a client's name, redirect URIs, consent setting or resources")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<ClientView> update(@PathParam("id") String id, @Valid @NotNull ClientChange body,
            @Context RoutingContext routing) {
        return operators.require(routing.request())
                .flatMap(ok -> clients.update(id, body.name(), body.redirectUris(), body.skipConsent(), body.resources()))
                .map(c -> ClientView.of(c, null));
    }

    @POST
    @Path("/{id}/secret")
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Give a confidential client a new secret (shown once; the old one stops working)",
            description = "A rotation answers a secret that may have leaked, so it ends the client's grants: every "
                    + "person session granted to the client ends (its refresh tokens are refused, its access tokens "
                    + "refused by every service within a second), and people sign in to the client again.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "public_client",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> rotateSecret(@PathParam("id") String id, @Context RoutingContext routing) {
        return operators.require(routing.request()).flatMap(ok -> clients.rotateSecret(id))
                .map(created -> Response.ok(ClientView.of(created.client(), created.secret()))
                        .header("Cache-Control", "no-store").build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a client", description = "Its pending requests and codes go with it, and its grants "
            + "end: every person session granted to the client ends (refresh tokens refused, access tokens refused by "
            + "every service within a second). A client registered again under the same id starts with none.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> delete(@PathParam("id") String id, @Context RoutingContext routing) {
        return operators.require(routing.request()).flatMap(ok -> clients.delete(id))
                .replaceWith(Response.noContent().build());
    }
}
