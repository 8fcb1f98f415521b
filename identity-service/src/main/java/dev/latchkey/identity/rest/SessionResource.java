package dev.latchkey.identity.rest;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.rest.AuthResource.Ended;
import dev.latchkey.identity.rest.Views.SessionView;
import dev.latchkey.identity.service.SessionService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** A person's own sessions: where they are signed in, and signing out of any or all of them. */
@Cancellable(false)
@Path("/v1/sessions")
@Tag(name = "Sessions")
@Produces(MediaType.APPLICATION_JSON)
@BearerToken
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied: an API key or a service, not a person",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class SessionResource {

    private final SessionService sessions;

    public SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    public record SessionList(List<SessionView> sessions) {
    }

    @ClientScope(ClientScopes.SESSIONS)
    @GET
    @Operation(summary = "Your active sessions", description = "Device (User-Agent), address, created, last used.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SessionList.class)))
    public Uni<SessionList> list(@Context RoutingContext routing) {
        VerifiedToken caller = Caller.requireUser(routing);
        return sessions.list(caller.userId())
                .map(list -> new SessionList(list.stream().map(s -> SessionView.of(s, caller.sessionId())).toList()));
    }

    @ClientScope(ClientScopes.SESSIONS)
    @DELETE
    @Path("/{id}")
    @Operation(summary = "End one of your sessions", description = "Its access tokens are refused everywhere at once.")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "404", description = "not_found: not one of your active sessions",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> end(@PathParam("id") String id, @Context RoutingContext routing) {
        VerifiedToken caller = Caller.requireUser(routing);
        return sessions.endOwn(caller.userId(), id, "signed_out").replaceWith(Response.noContent().build());
    }

    @ClientScope(ClientScopes.SESSIONS)
    @DELETE
    @Operation(summary = "Sign out everywhere",
            description = "Ends every session of yours; with keep_current=true all but the one making this request.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Ended.class)))
    public Uni<Ended> endAll(@Parameter(description = "Keep the session making this request")
            @QueryParam("keep_current") boolean keepCurrent, @Context RoutingContext routing) {
        VerifiedToken caller = Caller.requireUser(routing);
        UUID keep = keepCurrent ? UUID.fromString(caller.sessionId()) : null;
        return sessions.endAllOf(UUID.fromString(caller.userId()), keep, "signed_out_everywhere").map(Ended::new);
    }
}
