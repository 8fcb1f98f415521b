package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

/** One of a user's organizations, with the user's role there. */
public record UserMembershipRow(UUID organizationId, String name, String slug, String role, UUID personalOwner,
        Instant joinedAt, Instant createdAt) {
}
