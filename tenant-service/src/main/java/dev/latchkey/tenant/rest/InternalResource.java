package dev.latchkey.tenant.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
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
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.tenant.domain.UserMembershipRow;
import dev.latchkey.tenant.policy.EmailAddresses;
import dev.latchkey.tenant.service.Actor;
import dev.latchkey.tenant.service.AuditService.External;
import dev.latchkey.tenant.service.AuditService.Target;
import dev.latchkey.tenant.service.AuditService;
import dev.latchkey.tenant.service.Ids;
import dev.latchkey.tenant.service.OnboardingService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The internal API other Latchkey services call (CONTRACTS.md): service tokens only, each endpoint with its scope
 * (401 without a token, 403 {@code access_denied} for any other token).
 */
@Cancellable(false)
@Path("/internal/v1")
@Tag(name = "Internal")
@Produces(MediaType.APPLICATION_JSON)
@BearerToken
@SecurityRequirement(name = "bearer")
public class InternalResource {

    private final OnboardingService onboarding;
    private final AuditService audit;
    private final Requests requests;

    public InternalResource(OnboardingService onboarding, AuditService audit, Requests requests) {
        this.onboarding = onboarding;
        this.audit = audit;
        this.requests = requests;
    }

    public record MembershipView(@JsonProperty("organization_id") String organizationId, String name, String slug,
            @Schema(enumeration = { "owner", "admin", "member" }) String role,
            @Schema(description = "The user's personal organization") boolean personal,
            @JsonProperty("created_at") @Schema(description = "When the user joined") Instant createdAt) {
        static MembershipView of(UserMembershipRow row, UUID userId) {
            return new MembershipView(row.organizationId().toString(), row.name(), row.slug(), row.role(),
                    userId.equals(row.personalOwner()), row.joinedAt());
        }
    }

    public record Memberships(List<MembershipView> memberships) {
    }

    public record MemberCheck(@JsonProperty("organization_id") String organizationId, String name, String slug,
            String role, boolean personal) {
    }

    public record Onboard(@NotBlank @Size(max = 254) String email, @JsonProperty("email_verified") boolean emailVerified,
            @Size(max = 200) String name) {
    }

    public record AuditActor(@NotBlank String type, @Size(max = 200) String id, @Size(max = 254) String email) {
    }

    public record AuditTarget(@NotBlank @Size(max = 100) String type, @Size(max = 200) String id,
            @Size(max = 300) String name) {
    }

    public record NewAuditEvent(@NotBlank @JsonProperty("organization_id") String organizationId,
            @NotNull @Valid AuditActor actor, @NotBlank @Size(max = 100) String action, @NotNull @Valid AuditTarget target,
            Map<String, Object> metadata, @Size(max = 100) @JsonProperty("client_address") String clientAddress,
            @Size(max = 100) @JsonProperty("request_id") String requestId,
            @JsonProperty("occurred_at") OffsetDateTime occurredAt,
            @Size(max = 100) @JsonProperty("event_id")
            @Schema(description = "Optional: the sender's id for the event; a second delivery with the same id is "
                    + "recorded once") String eventId) {
    }

    public record RecordedEvent(String id) {
    }

    @GET
    @Path("/users/{userId}/memberships")
    @Operation(summary = "A user's organizations and roles (identity: sign-in, refresh)",
            description = "Scope internal:memberships.read. Personal organization first, then by joined time; "
                    + "deleted organizations never listed.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Memberships.class)))
    @APIResponse(responseCode = "400", description = "validation_failed: not a user id",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "403", description = "access_denied: not a service with the scope",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Memberships> memberships(@PathParam("userId") String userId, @Context RoutingContext context) {
        Caller.requireService(context, Scopes.MEMBERSHIPS_READ);
        UUID user = user(userId);
        return onboarding.memberships(user)
                .map(rows -> new Memberships(rows.stream().map(row -> MembershipView.of(row, user)).toList()));
    }

    @GET
    @Path("/organizations/{organizationId}/members/{userId}")
    @Operation(summary = "One membership (identity: switch-org)", description = "Scope internal:memberships.read.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MemberCheck.class)))
    @APIResponse(responseCode = "403", description = "access_denied: not a service with the scope",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found: not a member, or the organization is deleted",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<MemberCheck> membership(@PathParam("organizationId") String organizationId,
            @PathParam("userId") String userId, @Context RoutingContext context) {
        Caller.requireService(context, Scopes.MEMBERSHIPS_READ);
        UUID org = Ids.parse(organizationId);
        UUID user = Ids.parse(userId);
        if (org == null || user == null) {
            throw ApiException.notFound("Membership");
        }
        return onboarding.membership(org, user).map(row -> new MemberCheck(row.organizationId().toString(), row.name(),
                row.slug(), row.role(), user.equals(row.personalOwner())));
    }

    @POST
    @Path("/users/{userId}/onboard")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a user; create their personal organization once; honour invitations",
            description = "Scope internal:memberships.write. Idempotent per user, safe under concurrent calls. "
                    + "When email_verified is true, every pending unexpired invitation to that address is accepted.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Memberships.class)))
    @APIResponse(responseCode = "400", description = "validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "403", description = "access_denied: not a service with the scope",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Memberships> onboard(@PathParam("userId") String userId, @Valid @NotNull Onboard body,
            @Context RoutingContext context) {
        VerifiedToken caller = Caller.requireService(context, Scopes.MEMBERSHIPS_WRITE);
        UUID user = user(userId);
        String email = EmailAddresses.normalise(body.email());
        if (!EmailAddresses.plausible(email)) {
            throw ApiException.validation("'email' must be an e-mail address");
        }
        String name = body.name() == null || body.name().isBlank() ? null : body.name().strip();
        return onboarding.onboard(user, email, body.emailVerified(), name, requests.actor(context, caller))
                .map(rows -> new Memberships(rows.stream().map(row -> MembershipView.of(row, user)).toList()));
    }

    @POST
    @Path("/audit-events")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append another service's event to an organization's audit log",
            description = "Scope internal:audit.write. Actions are dotted names such as api_key.revoked.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = RecordedEvent.class)))
    @APIResponse(responseCode = "400", description = "validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "403", description = "access_denied: not a service with the scope",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found: no such organization (deleted ones are kept)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> recordEvent(@Valid @NotNull NewAuditEvent body, @Context RoutingContext context) {
        Caller.requireService(context, Scopes.AUDIT_WRITE);
        UUID org = Ids.parse(body.organizationId());
        if (org == null) {
            throw ApiException.validation("'organization_id' must be a UUID");
        }
        if (!List.of("user", "api_key", "service").contains(body.actor().type())) {
            throw ApiException.validation("'actor.type' must be user, api_key or service");
        }
        if (!AuditResource.ACTION.matcher(body.action()).matches() || !body.action().contains(".")) {
            throw ApiException.validation("'action' must be a dotted name such as api_key.revoked");
        }
        Actor actor = new Actor(body.actor().type(), body.actor().id(), body.actor().email(), body.clientAddress(),
                body.requestId());
        External event = new External(org, actor, body.action(),
                new Target(body.target().type(), body.target().id(), body.target().name()), body.metadata(),
                body.occurredAt() == null ? null : body.occurredAt().toInstant(), body.eventId());
        return audit.recordExternal(event)
                .map(recorded -> Response.status(201).entity(new RecordedEvent(recorded.id.toString())).build());
    }

    private static UUID user(String userId) {
        UUID user = Ids.parse(userId);
        if (user == null) {
            throw ApiException.validation("The user id must be a UUID");
        }
        return user;
    }
}
