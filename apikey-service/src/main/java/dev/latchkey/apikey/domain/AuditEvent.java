package dev.latchkey.apikey.domain;

import java.util.Map;
import java.util.UUID;

import dev.latchkey.common.audit.AuditEvents;
import dev.latchkey.common.auth.VerifiedToken;
import io.vertx.core.json.JsonObject;

/**
 * An audit event as tenant-service records it ({@code POST /internal/v1/audit-events}, CONTRACTS.md). Never
 * holds a key: the target is named by id, name and start only.
 */
public final class AuditEvent {

    public static final String CREATED = "api_key.created";
    public static final String RENAMED = "api_key.renamed";
    public static final String ROTATED = "api_key.rotated";
    public static final String REVOKED = "api_key.revoked";
    public static final String SETTINGS_UPDATED = "api_key.settings_updated";

    private AuditEvent() {
    }

    /** Where a change came from: the caller's address and the request id. */
    public record Origin(String clientAddress, String requestId) {
        public static final Origin NONE = new Origin(null, null);
    }

    /** The actor {@code caller} is: a person, an API key (presented or exchanged) or a service. */
    public static JsonObject actor(VerifiedToken caller) {
        return AuditEvents.actor(caller);
    }

    /** An event about {@code target} (or, without one, about the organization's key settings). */
    public static JsonObject of(UUID organizationId, JsonObject actor, String action, ApiKey target,
            Map<String, Object> metadata, Origin origin) {
        JsonObject subject = target != null
                ? new JsonObject().put("type", "api_key").put("id", target.id().toString()).put("name", target.name())
                : new JsonObject().put("type", "organization").put("id", organizationId.toString());
        return AuditEvents.event("apikey", organizationId, actor, action, subject, metadata, origin.clientAddress(),
                origin.requestId());
    }
}
