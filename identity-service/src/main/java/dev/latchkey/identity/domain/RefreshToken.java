package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A refresh token, by the hex SHA-256 of its value; {@code rotatedAt} is null while it is current. */
@Entity
@Table(name = "refresh_tokens", schema = "identity")
public class RefreshToken {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;
    @Column(name = "session_id")
    public UUID sessionId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "rotated_at")
    public OffsetDateTime rotatedAt;

    @Override
    public String toString() {
        return "RefreshToken[session=" + sessionId + "]";
    }
}
