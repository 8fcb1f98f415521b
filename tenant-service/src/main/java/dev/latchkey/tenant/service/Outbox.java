package dev.latchkey.tenant.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.tenant.domain.OutboxMessage;
import dev.latchkey.tenant.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;

/** Adds work to the outbox in the caller's transaction; {@link OutboxSender} delivers it. */
@ApplicationScoped
public class Outbox {

    private final OutboxRepository outbox;
    private final ObjectMapper json;

    public Outbox(OutboxRepository outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    public Uni<Void> invitationMail(UUID invitationId) {
        return add(OutboxMessage.INVITATION_MAIL, Map.of("invitation_id", invitationId.toString()));
    }

    public Uni<Void> revokeApiKeys(UUID organizationId) {
        return add(OutboxMessage.REVOKE_API_KEYS, Map.of("organization_id", organizationId.toString()));
    }

    /** Ends the sessions active in the organization: all of them, or only {@code userId}'s. */
    public Uni<Void> endSessions(UUID organizationId, UUID userId) {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("organization_id", organizationId.toString());
        if (userId != null) {
            payload.put("user_id", userId.toString());
        }
        return add(OutboxMessage.END_SESSIONS, payload);
    }

    /** A user's memberships changed (joined, left, removed, role changed). */
    public Uni<Void> userMembershipsChanged(UUID userId) {
        return add(OutboxMessage.MEMBERSHIPS_CHANGED, Map.of("user_id", userId.toString()));
    }

    /** An organization changed for all its members (renamed, deleted). */
    public Uni<Void> organizationChanged(UUID organizationId) {
        return add(OutboxMessage.MEMBERSHIPS_CHANGED, Map.of("organization_id", organizationId.toString()));
    }

    private Uni<Void> add(String kind, Map<String, String> payload) {
        try {
            return outbox.enqueue(kind, json.writeValueAsString(payload)).replaceWithVoid();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
