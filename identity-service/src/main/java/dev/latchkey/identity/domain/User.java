package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A person who signs in. {@code email} is normalised (lower case, IDNA domain) and unique. */
@Entity
@Table(name = "users", schema = "identity")
public class User {

    public static final String ACTIVE = "active";
    public static final String PENDING = "pending";
    public static final String DISABLED = "disabled";

    @Id
    public UUID id;
    public String email;
    public String name;
    @Column(name = "email_verified_at")
    public OffsetDateTime emailVerifiedAt;
    public String status;
    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;
    @Column(name = "last_organization_id")
    public UUID lastOrganizationId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public boolean emailVerified() {
        return emailVerifiedAt != null;
    }

    public boolean pending() {
        return PENDING.equals(status);
    }

    @Override
    public String toString() {
        return "User[" + id + "]";
    }
}
