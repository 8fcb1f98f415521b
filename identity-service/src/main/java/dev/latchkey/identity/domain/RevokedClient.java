package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A client deleted or given a new secret: the tokens issued to it until then are refused. */
@Entity
@Table(name = "revoked_clients", schema = "identity")
public class RevokedClient {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;
    @Column(name = "deny_until")
    public OffsetDateTime denyUntil;
    /** {@code client_deleted} or {@code client_secret_rotated}. */
    public String reason;

    @Override
    public String toString() {
        return "RevokedClient[" + clientId + ", " + reason + "]";
    }
}
