package dev.latchkey.tenant.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.common.rbac.Role;
import dev.latchkey.tenant.domain.Invitation;
import dev.latchkey.tenant.domain.Times;
import dev.latchkey.tenant.policy.Cursors;
import dev.latchkey.tenant.policy.EmailAddresses;
import dev.latchkey.tenant.service.InvitationService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1")
@Tag(name = "Invitations")
@Produces(MediaType.APPLICATION_JSON)
@BearerToken
@SecurityRequirement(name = "bearer")
public class InvitationResource {

    private final InvitationService invitations;
    private final Requests requests;

    public InvitationResource(InvitationService invitations, Requests requests) {
        this.invitations = invitations;
        this.requests = requests;
    }

    public record Invite(@NotBlank String email,
            @Schema(enumeration = { "owner", "admin", "member" }, defaultValue = "member") String role) {
    }

    /** Never carries the token: it is in the invitation mail only. */
    public record InvitationView(String id, @JsonProperty("organization_id") String organizationId, String email,
            String role, @Schema(enumeration = { "pending", "accepted", "revoked", "expired" }) String status,
            @JsonProperty("invited_by") InvitedBy invitedBy, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("expires_at") Instant expiresAt) {
        static InvitationView of(Invitation invitation) {
            return new InvitationView(invitation.id.toString(), invitation.organizationId.toString(),
                    invitation.email, invitation.role, invitation.status(Times.now()).value(),
                    new InvitedBy(invitation.invitedByType, invitation.invitedById), invitation.createdAt,
                    invitation.expiresAt);
        }
    }

    public record InvitedBy(@Schema(enumeration = { "user", "api_key" }) String type, String id) {
    }

    public record InvitationPage(List<InvitationView> invitations, @JsonProperty("next_cursor") String nextCursor) {
    }

    public record AcceptedView(OrganizationView organization,
            @Schema(enumeration = { "owner", "admin", "member" }) String role) {
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @POST
    @Path("/organizations/{id}/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Invite someone by e-mail", description = "Owners and admins invite admins and members; "
            + "inviting an owner takes an owner (or, while the organization has no owner at all, anyone who may "
            + "invite). The invitation mail carries a single-use link that expires (7 days by default); the link is "
            + "never in an API response.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = InvitationView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed: not an e-mail address, not a role",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "already_member, invitation_pending, personal_organization",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> invite(@PathParam("id") String id, @Valid @NotNull Invite body,
            @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        String email = EmailAddresses.normalise(body.email());
        if (!EmailAddresses.plausible(email)) {
            throw ApiException.validation("'email' must be an e-mail address");
        }
        Role role = body.role() == null ? Role.MEMBER : Role.parse(body.role());
        if (role == null) {
            throw ApiException.validation("'role' must be owner, admin or member");
        }
        return invitations.create(id, email, role, caller, requests.actor(context, caller))
                .map(created -> Response.created(URI.create("/v1/organizations/" + created.organizationId
                        + "/invitations/" + created.id)).entity(InvitationView.of(created)).build());
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Path("/organizations/{id}/invitations")
    @Operation(summary = "List pending invitations", description = "Owners and admins. Newest first, `limit` "
            + "(1-200, default 50) at a time.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = InvitationPage.class)))
    @APIResponse(responseCode = "400", description = "validation_failed: a bad limit or cursor",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<InvitationPage> pending(@PathParam("id") String id, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        int size = Requests.limit(limit);
        Cursors.TimeAndId after = Requests.timeCursor(cursor);
        return invitations.pending(id, caller, after, size + 1).map(found -> {
            List<Invitation> page = found.size() > size ? found.subList(0, size) : found;
            Invitation last = page.isEmpty() ? null : page.get(page.size() - 1);
            String next = found.size() > size ? Cursors.ofTimeAndId(last.createdAt, last.id) : null;
            return new InvitationPage(page.stream().map(InvitationView::of).toList(), next);
        });
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @DELETE
    @Path("/organizations/{id}/invitations/{invitationId}")
    @Operation(summary = "Revoke an invitation", description = "Owners and admins (an owner's invitation: owners). "
            + "Its link stops working at once. Revoking a revoked invitation changes nothing.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "409", description = "invitation_used: it has been accepted",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> revoke(@PathParam("id") String id, @PathParam("invitationId") String invitationId,
            @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        return invitations.revoke(id, invitationId, caller, requests.actor(context, caller))
                .map(ignored -> Response.noContent().build());
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @POST
    @Path("/invitations/{token}/accept")
    @Operation(summary = "Accept an invitation", description = "A signed-in person whose verified e-mail address "
            + "is the invited one joins the organization with the invited role (someone who is a member already "
            + "keeps their role). Switch to it through identity-service.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AcceptedView.class)))
    @APIResponse(responseCode = "403", description = "invitation_email_mismatch: the caller's verified e-mail is "
            + "not the invited address (or is not verified); access_denied: an API key or a service",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found: no such invitation, or it was revoked, or its "
            + "organization deleted", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "invitation_used: it has been accepted already",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "410", description = "invitation_expired",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<AcceptedView> accept(@PathParam("token") String token, @Context RoutingContext context) {
        VerifiedToken caller = Caller.requireUser(context);
        return invitations.accept(token, caller, requests.actor(context, caller))
                .map(accepted -> new AcceptedView(OrganizationView.of(accepted.organization()),
                        accepted.role().value()));
    }
}
