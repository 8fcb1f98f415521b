package dev.latchkey.webhook.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Filters of an inbox listing; null fields do not filter. */
public record InboxFilter(UUID organizationId, String provider, String type, OffsetDateTime after,
        OffsetDateTime before, Boolean acked, long afterSeq) {
}
