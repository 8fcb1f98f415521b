package dev.latchkey.tenant.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.Authz;
import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.tenant.domain.AuditEvent;
import dev.latchkey.tenant.domain.AuditFilter;
import dev.latchkey.tenant.policy.Cursors;
import dev.latchkey.tenant.service.AuditService;
import dev.latchkey.tenant.service.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1/organizations/{id}/audit")
@Tag(name = "Audit log")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final Pattern ACTION = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$");

    private final AuditService audit;

    public AuditResource(AuditService audit) {
        this.audit = audit;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ActorView(@Schema(enumeration = { "user", "api_key", "service", "anonymous" }) String type,
            String id, String email) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetView(String type, String id, String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(String id, String action, ActorView actor, TargetView target, Map<String, Object> metadata,
            @JsonProperty("client_address") String clientAddress, @JsonProperty("request_id") String requestId,
            @JsonProperty("occurred_at") Instant occurredAt, @JsonProperty("recorded_at") Instant recordedAt) {
    }

    public record EventPage(List<EventView> events, @JsonProperty("next_cursor") String nextCursor) {
    }

    @GET
    @BearerToken
    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Read the organization's audit log", description = "Owners and admins (and read_write API "
            + "keys). Newest first, `limit` (1-200, default 50) at a time; `next_cursor` continues.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EventPage.class)))
    @APIResponse(responseCode = "400", description = "validation_failed: a bad filter, limit or cursor",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<EventPage> list(@PathParam("id") String id,
            @Parameter(description = "An action (member.role_changed), or a prefix ending in .* (member.*)")
            @QueryParam("action") String action,
            @Parameter(description = "The actor's id: a user id, API key id or service name") @QueryParam("actor") String actor,
            @Parameter(description = "ISO-8601; events that occurred at or after") @QueryParam("since") String since,
            @Parameter(description = "ISO-8601; events that occurred before") @QueryParam("until") String until,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit, @Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        UUID organizationId = Ids.parse(id);
        Authz.require(caller, organizationId == null ? null : organizationId.toString(), Action.AUDIT_READ,
                "Organization");
        int size = Requests.limit(limit);
        String exact = null;
        String prefix = null;
        if (action != null && !action.isEmpty()) {
            if (action.endsWith(".*") && ACTION.matcher(action.substring(0, action.length() - 2)).matches()) {
                prefix = action.substring(0, action.length() - 1);
            } else if (ACTION.matcher(action).matches() && action.length() <= 100) {
                exact = action;
            } else {
                throw ApiException.validation("'action' must be an action such as member.role_changed, or a prefix "
                        + "such as member.*");
            }
        }
        AuditFilter filter = new AuditFilter(organizationId, exact, prefix, actor == null || actor.isEmpty() ? null : actor,
                instant("since", since), instant("until", until), Requests.idCursor(cursor));
        return audit.page(filter, size + 1).map(found -> {
            List<AuditEvent> page = found.size() > size ? found.subList(0, size) : found;
            String next = found.size() > size ? Cursors.ofId(page.get(page.size() - 1).id) : null;
            return new EventPage(page.stream().map(this::view).toList(), next);
        });
    }

    private EventView view(AuditEvent event) {
        return new EventView(event.id.toString(), event.action,
                new ActorView(event.actorType, event.actorId, event.actorEmail),
                event.targetType == null ? null : new TargetView(event.targetType, event.targetId, event.targetName),
                audit.metadata(event), event.clientAddress, event.requestId, event.occurredAt, event.recordedAt);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.validation("'" + name + "' must be an ISO-8601 date-time such as 2026-01-31T12:00:00Z");
        }
    }
}
