package dev.latchkey.identity.rest;

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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.service.LocalSessionStatus;
import dev.latchkey.identity.service.SessionService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Sessions as the other Latchkey services need them: service tokens only. */
@Cancellable(false)
@Path("/internal/v1/sessions")
@Tag(name = "Internal")
@Produces(MediaType.APPLICATION_JSON)
@BearerToken
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied: not a Latchkey service token with the scope",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class InternalSessionResource {

    private final LocalSessionStatus status;
    private final SessionService sessions;

    public InternalSessionResource(LocalSessionStatus status, SessionService sessions) {
        this.status = status;
        this.sessions = sessions;
    }

    public record Status(boolean active, @JsonProperty("deny_until") long denyUntil) {
    }

    public record EndedSession(String id, @JsonProperty("deny_until") long denyUntil) {
    }

    public record EndedSessions(List<EndedSession> sessions) {
    }

    public record DeniedToken(String jti, @JsonProperty("deny_until") long denyUntil) {
    }

    public record DeniedClient(@JsonProperty("client_id") String clientId, @JsonProperty("revoked_at") long revokedAt,
            @JsonProperty("deny_until") long denyUntil) {
    }

    public record Denied(List<DeniedToken> tokens, List<DeniedClient> clients) {
    }

    public record End(@JsonProperty("organization_id") @NotBlank @Size(max = 64) String organizationId,
            @JsonProperty("user_id") @Size(max = 64) String userId, @Size(max = 64) String reason) {
    }

    public record Ended(int ended) {
    }

    @GET
    @Path("/ended")
    @Operation(summary = "Sessions ended since a time (revocation resync)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EndedSessions.class)))
    public Uni<EndedSessions> ended(@QueryParam("since") long since, @Context RoutingContext routing) {
        Caller.requireService(routing, Scopes.SESSIONS_READ);
        return status.endedSince(since).map(map -> new EndedSessions(map.entrySet().stream()
                .map(e -> new EndedSession(e.getKey(), e.getValue())).toList()));
    }

    @GET
    @Path("/denied")
    @Operation(summary = "Tokens and clients revoked since a time (revocation resync)",
            description = "Access tokens revoked by id (refused until deny_until, their expiry) and clients deleted or "
                    + "given a new secret (every token issued to the client up to revoked_at is refused until "
                    + "deny_until). Only those still to refuse.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Denied.class)))
    public Uni<Denied> denied(@QueryParam("since") long since, @Context RoutingContext routing) {
        Caller.requireService(routing, Scopes.SESSIONS_READ);
        return status.deniedSince(since).map(denied -> new Denied(
                denied.tokens().entrySet().stream().map(e -> new DeniedToken(e.getKey(), e.getValue())).toList(),
                denied.clients().entrySet().stream().map(e -> new DeniedClient(e.getKey(), e.getValue().revokedAt(),
                        e.getValue().until())).toList()));
    }

    @GET
    @Path("/tokens/{jti}")
    @Operation(summary = "Whether an access token without a session was revoked",
            description = "By its id, or with its client (client, iat: the token's client and issue time). For "
                    + "instances that cannot trust their revocation cache.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Status.class)))
    public Uni<Status> token(@PathParam("jti") String jti, @QueryParam("client") String clientId,
            @QueryParam("iat") long issuedAt, @Context RoutingContext routing) {
        Caller.requireService(routing, Scopes.SESSIONS_READ);
        return status.tokenDenyUntil(jti, clientId, issuedAt).map(until -> new Status(until == 0, until));
    }

    @GET
    @Path("/{sid}")
    @Operation(summary = "Whether a session is active", description = "An unknown session is not active.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Status.class)))
    public Uni<Status> session(@PathParam("sid") String sid, @Context RoutingContext routing) {
        Caller.requireService(routing, Scopes.SESSIONS_READ);
        return status.denyUntil(sid).map(until -> new Status(until == 0, until));
    }

    @POST
    @Path("/end")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "End the sessions acting in an organization (optionally one user's)",
            description = "tenant-service: an organization was deleted, a member removed or left.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Ended.class)))
    public Uni<Ended> end(@Valid @NotNull End body, @Context RoutingContext routing) {
        Caller.requireService(routing, Scopes.SESSIONS_END);
        UUID organization = SessionServiceIds.uuid(body.organizationId(), "organization_id");
        UUID user = body.userId() == null ? null : SessionServiceIds.uuid(body.userId(), "user_id");
        String reason = body.reason() == null ? (user == null ? "organization_deleted" : "membership_ended")
                : body.reason();
        return sessions.endInOrganization(organization, user, reason).map(Ended::new);
    }

    private static final class SessionServiceIds {
        static UUID uuid(String value, String field) {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("'" + field + "' is not a UUID");
            }
        }
    }
}
