package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's password, as an Argon2id PHC string. */
@Entity
@Table(name = "password_credentials", schema = "identity")
public class PasswordCredential {

    @Id
    @Column(name = "user_id")
    public UUID userId;
    public String hash;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Override
    public String toString() {
        return "PasswordCredential[" + userId + "]";
    }
}
