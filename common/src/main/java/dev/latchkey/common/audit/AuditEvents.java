package dev.latchkey.common.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.common.auth.VerifiedToken;
import io.vertx.core.json.JsonObject;

/**
 * Audit events in the shape tenant-service records ({@code POST /internal/v1/audit-events}): who (a person, an API
 * key or a service), did what (a dotted action such as {@code webhook_provider.created}), to what, from where.
 * Never holds a secret.
 */
public final class AuditEvents {

    private AuditEvents() {
    }

    /** The actor {@code caller} is: a person, an API key (presented or exchanged) or a service. */
    public static JsonObject actor(VerifiedToken caller) {
        JsonObject actor = new JsonObject();
        switch (caller.kind()) {
            case USER -> {
                actor.put("type", "user").put("id", caller.userId());
                if (caller.email() != null) {
                    actor.put("email", caller.email());
                }
            }
            case API_KEY -> actor.put("type", "api_key").put("id", caller.keyId());
            default -> actor.put("type", "service").put("id", caller.getSubject());
        }
        return actor;
    }

    /**
     * An event with a fresh {@code event_id} (stored with it in the outbox, so a retried delivery is recorded
     * once) prefixed by {@code source}, the sending service.
     */
    public static JsonObject event(String source, UUID organizationId, JsonObject actor, String action,
            JsonObject target, Map<String, Object> metadata, String clientAddress, String requestId) {
        JsonObject event = new JsonObject()
                .put("organization_id", organizationId.toString())
                .put("actor", actor)
                .put("action", action)
                .put("target", target)
                .put("occurred_at", Instant.now().toString())
                .put("event_id", source + ":" + UUID.randomUUID());
        if (metadata != null && !metadata.isEmpty()) {
            event.put("metadata", new JsonObject(new LinkedHashMap<>(metadata)));
        }
        if (clientAddress != null) {
            event.put("client_address", clientAddress);
        }
        if (requestId != null) {
            event.put("request_id", requestId);
        }
        return event;
    }

    public static JsonObject target(String type, String id, String name) {
        JsonObject target = new JsonObject().put("type", type).put("id", id);
        return name == null ? target : target.put("name", name);
    }
}
