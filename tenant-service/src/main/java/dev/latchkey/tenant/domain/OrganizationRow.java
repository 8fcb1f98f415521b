package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

/** A live organization as {@code GET /v1/organizations/{id}} answers it (read without Hibernate). */
public record OrganizationRow(UUID id, String name, String slug, boolean personal, Instant createdAt) {
}
