package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A browser signed in on the pages, by the hex SHA-256 of its cookie, tied to a Latchkey session. */
@Entity
@Table(name = "browser_sessions", schema = "identity")
public class BrowserSession {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;
    @Column(name = "session_id")
    public UUID sessionId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Override
    public String toString() {
        return "BrowserSession[" + sessionId + "]";
    }
}
