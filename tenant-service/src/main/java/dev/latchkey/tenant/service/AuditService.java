package dev.latchkey.tenant.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.tenant.domain.AuditEvent;
import dev.latchkey.tenant.domain.AuditFilter;
import dev.latchkey.tenant.domain.Times;
import dev.latchkey.tenant.repository.AuditRepository;
import dev.latchkey.tenant.repository.OrganizationRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The audit log. tenant-service's own changes are recorded in the transaction that makes them, so a change and
 * its record commit together or not at all; other services deliver theirs over {@code POST
 * /internal/v1/audit-events} from their own outboxes.
 */
@ApplicationScoped
public class AuditService {

    /** What an event is about. */
    public record Target(String type, String id, String name) {
    }

    private final AuditRepository events;
    private final OrganizationRepository organizations;
    private final ObjectMapper json;

    public AuditService(AuditRepository events, OrganizationRepository organizations, ObjectMapper json) {
        this.events = events;
        this.organizations = organizations;
        this.json = json;
    }

    /** Appends an event in the current transaction. */
    public Uni<AuditEvent> record(UUID organizationId, Actor actor, String action, Target target,
            Map<String, ?> metadata) {
        AuditEvent event = new AuditEvent();
        event.organizationId = organizationId;
        event.actorType = actor.type();
        event.actorId = actor.id();
        event.actorEmail = actor.email();
        event.action = action;
        if (target != null) {
            event.targetType = target.type();
            event.targetId = target.id();
            event.targetName = target.name();
        }
        event.metadata = metadata == null || metadata.isEmpty() ? null : write(metadata);
        event.clientAddress = actor.clientAddress();
        event.requestId = actor.requestId();
        Instant now = Times.now();
        event.occurredAt = now;
        event.recordedAt = now;
        return events.persist(event);
    }

    /** An event another service reports. */
    public record External(UUID organizationId, Actor actor, String action, Target target, Map<String, Object> metadata,
            Instant occurredAt, String eventId) {
    }

    /**
     * Records another service's event once: an event with an {@code event_id} seen before is not recorded again
     * (its sender retried), and the earlier record is answered. An organization that never existed is 404 (deleted
     * ones are kept, and so is their log).
     */
    public Uni<AuditEvent> recordExternal(External external) {
        return organizations.findById(external.organizationId())
                .onItem().ifNull().failWith(() -> ApiException.notFound("Organization"))
                .flatMap(found -> recordOnce(external))
                // Two deliveries of one event at the same moment: the unique index keeps one, answer that one.
                .onFailure(e -> external.eventId() != null && Conflicts.uniqueViolation(e, "audit_events_source_event_id_key"))
                .recoverWithUni(() -> events.bySourceEventId(external.eventId()));
    }

    @WithTransaction
    Uni<AuditEvent> recordOnce(External external) {
        return (external.eventId() == null ? Uni.createFrom().<AuditEvent>nullItem()
                : events.bySourceEventId(external.eventId())).flatMap(seen -> {
                    if (seen != null) {
                        return Uni.createFrom().item(seen);
                    }
                    AuditEvent event = new AuditEvent();
                    event.organizationId = external.organizationId();
                    event.actorType = external.actor().type();
                    event.actorId = external.actor().id();
                    event.actorEmail = external.actor().email();
                    event.action = external.action();
                    event.targetType = external.target().type();
                    event.targetId = external.target().id();
                    event.targetName = external.target().name();
                    event.metadata = external.metadata() == null || external.metadata().isEmpty() ? null
                            : write(external.metadata());
                    event.clientAddress = external.actor().clientAddress();
                    event.requestId = external.actor().requestId();
                    Instant now = Times.now();
                    event.occurredAt = external.occurredAt() == null ? now : external.occurredAt();
                    event.recordedAt = now;
                    event.sourceEventId = external.eventId();
                    return events.persist(event);
                });
    }

    public Uni<List<AuditEvent>> page(AuditFilter filter, int limit) {
        return events.page(filter, limit);
    }

    /** The stored metadata as a map, for answers. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata(AuditEvent event) {
        if (event.metadata == null) {
            return null;
        }
        try {
            return json.readValue(event.metadata, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", true);
        }
    }

    private String write(Map<String, ?> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit metadata is not serialisable", e);
        }
    }
}
