package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What tenant-service knows of a person (identity-service owns the account): for member listings. */
@Entity
@Table(name = "users", schema = "tenant")
public class UserProfile {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    /** Normalised (trimmed, lower-case). */
    public String email;

    @Column(name = "email_verified")
    public boolean emailVerified;

    public String name;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
