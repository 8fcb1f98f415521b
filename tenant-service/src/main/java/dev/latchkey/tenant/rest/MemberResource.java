package dev.latchkey.tenant.rest;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import dev.latchkey.tenant.policy.Cursors;
import dev.latchkey.tenant.service.MemberService.Member;
import dev.latchkey.tenant.service.MemberService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1/organizations/{id}/members")
@Tag(name = "Members")
@Produces(MediaType.APPLICATION_JSON)
@BearerToken
@SecurityRequirement(name = "bearer")
public class MemberResource {

    private final MemberService members;
    private final Requests requests;

    public MemberResource(MemberService members, Requests requests) {
        this.members = members;
        this.requests = requests;
    }

    public record MemberView(@JsonProperty("user_id") String userId, String email, String name,
            @Schema(enumeration = { "owner", "admin", "member" }) String role,
            @JsonProperty("joined_at") Instant joinedAt) {
        static MemberView of(Member member) {
            return new MemberView(member.userId().toString(), member.email(), member.name(), member.role().value(),
                    member.joinedAt());
        }
    }

    public record MemberPage(List<MemberView> members,
            @JsonProperty("next_cursor") @Schema(description = "Pass as ?cursor= for the next page; null on the last")
            String nextCursor) {
    }

    public record ChangeRole(@NotNull @Schema(enumeration = { "owner", "admin", "member" }) String role) {
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Operation(summary = "List the organization's members", description = "Every role and API key of the "
            + "organization. In the order they joined, `limit` (1-200, default 50) at a time.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MemberPage.class)))
    @APIResponse(responseCode = "400", description = "validation_failed: a bad limit or cursor",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<MemberPage> list(@PathParam("id") String id, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        int size = Requests.limit(limit);
        Cursors.TimeAndId after = Requests.timeCursor(cursor);
        return members.list(id, caller, after, size + 1).map(found -> {
            List<Member> page = found.size() > size ? found.subList(0, size) : found;
            Member last = page.isEmpty() ? null : page.get(page.size() - 1);
            String next = found.size() > size ? Cursors.ofTimeAndId(last.joinedAt(), last.userId()) : null;
            return new MemberPage(page.stream().map(MemberView::of).toList(), next);
        });
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @PATCH
    @Path("/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a member's role", description = "Owners and admins change roles between admin and "
            + "member; making or unmaking an owner takes an owner. The change reaches the member's tokens at their "
            + "next refresh.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MemberView.class)))
    @APIResponse(responseCode = "400", description = "validation_failed: not a role",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "last_owner: the organization would have no owner",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<MemberView> changeRole(@PathParam("id") String id, @PathParam("userId") String userId,
            @Valid @NotNull ChangeRole body, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        Role role = Role.parse(body.role());
        if (role == null) {
            throw ApiException.validation("'role' must be owner, admin or member");
        }
        return members.changeRole(id, userId, role, caller, requests.actor(context, caller)).map(MemberView::of);
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @DELETE
    @Path("/{userId}")
    @Operation(summary = "Remove a member", description = "Owners and admins remove admins and members; removing "
            + "an owner takes an owner. The member's sessions in this organization end at identity-service. "
            + "Removing yourself is leaving.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "409", description = "last_owner", 
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> remove(@PathParam("id") String id, @PathParam("userId") String userId,
            @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        return members.remove(id, userId, caller, requests.actor(context, caller))
                .map(ignored -> Response.noContent().build());
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @DELETE
    @Path("/me")
    @Operation(summary = "Leave the organization", description = "People only. Any organization the caller "
            + "belongs to, not only the one its token acts in. Its sessions in that organization end.")
    @APIResponse(responseCode = "204", description = "Left")
    @APIResponse(responseCode = "409", description = "last_owner: make someone else an owner first; "
            + "personal_organization: a personal organization cannot be left",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> leave(@PathParam("id") String id, @Context RoutingContext context) {
        VerifiedToken caller = Caller.requireUser(context);
        return members.leave(id, caller, requests.actor(context, caller)).map(ignored -> Response.noContent().build());
    }
}
