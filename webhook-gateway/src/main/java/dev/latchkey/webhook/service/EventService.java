package dev.latchkey.webhook.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.webhook.domain.InboxEvent;
import dev.latchkey.webhook.domain.InboxFilter;
import dev.latchkey.webhook.domain.InboxPosition;
import dev.latchkey.webhook.repository.IngestionInbox;
import io.smallrye.mutiny.Uni;

/** Reading and acknowledging an organization's inbox; following it live is {@link EventStreams}. */
@ApplicationScoped
public class EventService {

    private final IngestionInbox inbox;

    public EventService(IngestionInbox inbox) {
        this.inbox = inbox;
    }

    /** Events matching {@code filter} in inbox order, at most {@code limit}. */
    public Uni<List<InboxEvent>> list(InboxFilter filter, int limit) {
        return inbox.list(filter, limit);
    }

    public Uni<Optional<InboxEvent>> find(UUID organizationId, UUID id) {
        return inbox.find(organizationId, id);
    }

    /** Marks the event acknowledged (the first acknowledgement's time is kept); empty when there is no such event. */
    public Uni<Optional<InboxEvent>> ack(UUID organizationId, UUID id) {
        return inbox.ack(organizationId, id);
    }

    /** Where a stream that wants only what is committed from now on starts. */
    public Uni<InboxPosition> now() {
        return inbox.now();
    }
}
