package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import dev.latchkey.common.rbac.Role;

/** A person's role in an organization. {@link #createdAt} is when they joined. */
@Entity
@Table(name = "memberships", schema = "tenant")
@IdClass(MembershipId.class)
public class Membership {

    @Id
    @Column(name = "organization_id")
    public UUID organizationId;

    @Id
    @Column(name = "user_id")
    public UUID userId;

    /** {@code owner}, {@code admin} or {@code member} ({@link Role#value()}). */
    public String role;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public Role role() {
        return Role.parse(role);
    }
}
