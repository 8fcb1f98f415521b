package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A single-use token sent by mail, by the hex SHA-256 of its value. */
@Entity
@Table(name = "email_tokens", schema = "identity")
public class EmailToken {

    public static final String VERIFY_EMAIL = "verify_email";
    public static final String RESET_PASSWORD = "reset_password";

    @Id
    @Column(name = "token_hash")
    public String tokenHash;
    @Column(name = "user_id")
    public UUID userId;
    public String purpose;
    public String email;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    @Column(name = "used_at")
    public OffsetDateTime usedAt;

    @Override
    public String toString() {
        return "EmailToken[" + purpose + ", user=" + userId + "]";
    }
}
