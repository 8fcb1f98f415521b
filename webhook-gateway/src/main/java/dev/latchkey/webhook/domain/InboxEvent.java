package dev.latchkey.webhook.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A verified delivery in the inbox.
 *
 * @param seq       position in the inbox (listings' order); 0 before insert
 * @param headers   the selected request headers as a JSON object
 * @param body      the body exactly as received
 * @param tx        the id of the transaction that stored it (streams' order); 0 before insert
 */
public record InboxEvent(long seq, UUID id, UUID organizationId, UUID providerId, String providerName, String deliveryId,
        String eventType, String headers, byte[] body, OffsetDateTime receivedAt, OffsetDateTime ackedAt, long tx) {

    @Override
    public String toString() {
        return "InboxEvent[seq=" + seq + ", id=" + id + ", provider=" + providerName + ", delivery=" + deliveryId + "]";
    }
}
