package dev.latchkey.identity.rest;

import java.time.Instant;

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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.rest.Views.UserView;
import dev.latchkey.identity.service.AccountService;
import dev.latchkey.identity.service.OperatorAuth;
import dev.latchkey.identity.service.SigningKeyService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Operator actions: an operator token (client credentials, scope internal:admin) or, if enabled, HTTP Basic. */
@Cancellable(false)
@Path("/v1/admin")
@Tag(name = "Operators")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied (not an operator), insecure_transport (Basic over plain HTTP)",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class AdminResource {

    private final OperatorAuth operators;
    private final AccountService accounts;
    private final SigningKeyService keys;

    public AdminResource(OperatorAuth operators, AccountService accounts, SigningKeyService keys) {
        this.operators = operators;
        this.accounts = accounts;
        this.keys = keys;
    }

    public record Rotated(String kid, @JsonProperty("activates_at") Instant activatesAt,
            @Schema(description = "false when a key was already waiting to activate") boolean created) {
    }

    @POST
    @Path("/users/{id}/approve")
    @Operation(summary = "Approve an account awaiting approval (access gating)",
            description = "Takes effect at the user's next refresh.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "404", description = "not_found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<UserView> approve(@PathParam("id") String id, @Context RoutingContext routing) {
        return operators.require(routing.request()).flatMap(ok -> accounts.approve(id)).map(UserView::of);
    }

    @POST
    @Path("/keys/rotate")
    @Operation(summary = "Rotate the signing key now",
            description = "The new key is published at once and signs after the publish lead (verifiers fetch it "
                    + "first); immediate=true makes it sign at once (a compromised key). Older keys stay published "
                    + "until their tokens have expired.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Rotated.class)))
    public Uni<Rotated> rotate(@QueryParam("immediate") boolean immediate, @Context RoutingContext routing) {
        return operators.require(routing.request()).flatMap(ok -> keys.rotate(immediate))
                .map(r -> new Rotated(r.kid(), r.activatesAt(), r.created()));
    }
}
