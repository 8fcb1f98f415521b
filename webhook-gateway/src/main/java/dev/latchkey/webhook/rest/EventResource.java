package dev.latchkey.webhook.rest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.webhook.config.WebhookConfig;
import dev.latchkey.webhook.domain.InboxEvent;
import dev.latchkey.webhook.domain.InboxFilter;
import dev.latchkey.webhook.domain.InboxPosition;
import dev.latchkey.webhook.rest.Access.Permission;
import dev.latchkey.webhook.service.EventService;
import dev.latchkey.webhook.service.EventStreams;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1/webhook-events")
@Tag(name = "Events")
@BearerToken
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "auth_required",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "403", description = "access_denied",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class EventResource {

    private final EventService events;
    private final EventStreams streams;
    private final Access access;
    private final int maxPage;

    public EventResource(EventService events, EventStreams streams, Access access, WebhookConfig config) {
        this.events = events;
        this.streams = streams;
        this.access = access;
        this.maxPage = config.maxPageSize();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(String id,
            @Schema(description = "Position in the inbox's listing order") long sequence,
            String provider, @JsonProperty("delivery_id") String deliveryId, String type,
            @JsonRawValue @Schema(implementation = Object.class, description = "Selected request headers, lower-case names") String headers,
            @Schema(description = "The body as received, when it is UTF-8 text") String body,
            @JsonProperty("body_base64") @Schema(description = "The body as received, when it is not UTF-8 text") String bodyBase64,
            @JsonProperty("received_at") OffsetDateTime receivedAt, @JsonProperty("acked_at") OffsetDateTime ackedAt) {

        static EventView of(InboxEvent e) {
            String text = utf8(e.body());
            return new EventView(e.id().toString(), e.seq(), e.providerName(), e.deliveryId(), e.eventType(), e.headers(),
                    text, text == null ? Base64.getEncoder().encodeToString(e.body()) : null, e.receivedAt(), e.ackedAt());
        }

        private static String utf8(byte[] body) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }

    public record EventPage(List<EventView> data,
            @JsonProperty("next_cursor") @Schema(description = "Pass as cursor for the next page; null on the last page") String nextCursor) {
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Events in the inbox, oldest first", description = "Filters combine; page with cursor.")
    @APIResponse(responseCode = "200", description = "A page of events", content = @Content(schema = @Schema(implementation = EventPage.class)))
    @APIResponse(responseCode = "400", description = "validation_failed", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<EventPage> list(@QueryParam("provider") String provider, @QueryParam("type") String type,
            @QueryParam("received_after") String after, @QueryParam("received_before") String before,
            @QueryParam("acked") Boolean acked, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @Context RoutingContext context) {
        UUID organization = access.organization(Caller.require(context), Permission.EVENTS_READ);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > maxPage) {
            throw ApiException.validation("'limit' must be between 1 and " + maxPage);
        }
        InboxFilter filter = new InboxFilter(organization, blankToNull(provider), blankToNull(type),
                time("received_after", after), time("received_before", before), acked, seq("cursor", cursor));
        return events.list(filter, size).map(page -> new EventPage(page.stream().map(EventView::of).toList(),
                page.size() == size ? String.valueOf(page.get(page.size() - 1).seq()) : null));
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One event")
    @APIResponse(responseCode = "200", description = "The event", content = @Content(schema = @Schema(implementation = EventView.class)))
    @APIResponse(responseCode = "404", description = "not_found", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<EventView> get(@PathParam("id") String id, @Context RoutingContext context) {
        UUID organization = access.organization(Caller.require(context), Permission.EVENTS_READ);
        return events.find(organization, eventId(id))
                .map(found -> EventView.of(found.orElseThrow(() -> ApiException.notFound("Webhook event"))));
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_WRITE)
    @POST
    @Path("/{id}/ack")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Acknowledge an event", description = "Idempotent: the first acknowledgement's time is kept.")
    @APIResponse(responseCode = "200", description = "The acknowledged event", content = @Content(schema = @Schema(implementation = EventView.class)))
    @APIResponse(responseCode = "404", description = "not_found", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<EventView> ack(@PathParam("id") String id, @Context RoutingContext context) {
        UUID organization = access.organization(Caller.require(context), Permission.EVENTS_ACK);
        return events.ack(organization, eventId(id))
                .map(found -> EventView.of(found.orElseThrow(() -> ApiException.notFound("Webhook event"))));
    }

    @ClientScope(ClientScopes.ORGANIZATIONS_READ)
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow new events live (Server-Sent Events)",
            description = "Each event is sent as `event: webhook`, `id: <stream position>`, `data: <the event as JSON>`. "
                    + "Reconnect with Last-Event-ID (or ?last_event_id=) to resume after the last event received; "
                    + "last_event_id=0 replays the whole inbox. Without either, only events committed from now on. "
                    + "Works across replicas: an event accepted by any replica reaches streams on all of them.")
    @APIResponse(responseCode = "200", description = "text/event-stream")
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("last_event_id") String lastEventIdParam, @QueryParam("provider") String provider,
            @QueryParam("type") String type, @Context Sse sse, @Context RoutingContext context) {
        UUID organization = access.organization(Caller.require(context), Permission.EVENTS_READ);
        String resume = lastEventId != null ? lastEventId : lastEventIdParam;
        Uni<InboxPosition> start;
        if (resume == null) {
            start = events.now();
        } else {
            InboxPosition position = InboxPosition.parse(resume);
            if (position == null) {
                throw ApiException.validation("'Last-Event-ID' is not an id this stream sent");
            }
            start = Uni.createFrom().item(position);
        }
        return start.onItem().transformToMulti(after -> streams.follow(organization, after, blankToNull(provider),
                blankToNull(type)))
                .map(event -> sse.newEventBuilder().name("webhook").id(InboxPosition.of(event).toString())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(EventView.class, EventView.of(event)).build());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.validation("'" + name + "' must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z");
        }
    }

    private static long seq(String name, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long seq = Long.parseLong(value.trim());
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw ApiException.validation("'" + name + "' is not a position in the inbox");
        }
    }

    private static UUID eventId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Webhook event");
        }
    }
}
