package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An organization. Deleting one only marks it ({@link #deletedAt}); nothing reads a deleted one as live. */
@Entity
@Table(name = "organizations", schema = "tenant")
public class Organization {

    @Id
    public UUID id;

    public String name;

    public String slug;

    /** The user whose personal organization this is; null for every other organization. */
    @Column(name = "personal_owner")
    public UUID personalOwner;

    /** {@code user}, {@code anonymous} (self-service bootstrap) or {@code service} (an operator). */
    @Column(name = "created_by_type")
    public String createdByType;

    @Column(name = "created_by_id")
    public String createdById;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public boolean personal() {
        return personalOwner != null;
    }

    public boolean deleted() {
        return deletedAt != null;
    }
}
