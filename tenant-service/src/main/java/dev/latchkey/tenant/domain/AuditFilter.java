package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

/** Which audit events to list: all of {@code organizationId}'s unless narrowed. */
public record AuditFilter(UUID organizationId, String action, String actionPrefix, String actor, Instant since,
        Instant until, Long before) {
}
