package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.latchkey.common.rbac.Role;

/**
 * An invitation to join an organization with a role. Its token lives only in the mail: the row holds the
 * token's SHA-256, set by the outbox sender when the mail leaves.
 */
@Entity
@Table(name = "invitations", schema = "tenant")
public class Invitation {

    public enum Status {
        PENDING,
        ACCEPTED,
        REVOKED,
        EXPIRED;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Id
    public UUID id;

    @Column(name = "organization_id")
    public UUID organizationId;

    /** Normalised (trimmed, lower-case). */
    public String email;

    public String role;

    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "invited_by_type")
    public String invitedByType;

    @Column(name = "invited_by_id")
    public String invitedById;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "accepted_at")
    public Instant acceptedAt;

    @Column(name = "accepted_by")
    public UUID acceptedBy;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public Role role() {
        return Role.parse(role);
    }

    public Status status(Instant now) {
        if (acceptedAt != null) {
            return Status.ACCEPTED;
        }
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        return now.isBefore(expiresAt) ? Status.PENDING : Status.EXPIRED;
    }
}
