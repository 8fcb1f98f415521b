package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

/** A member as listings show them. */
public record MemberRow(UUID userId, String email, String name, String role, Instant joinedAt) {
}
