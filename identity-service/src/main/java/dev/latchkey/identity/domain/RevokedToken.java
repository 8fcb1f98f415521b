package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An access token revoked by id (RFC 7009): refused by every service until it would have expired. */
@Entity
@Table(name = "revoked_tokens", schema = "identity")
public class RevokedToken {

    @Id
    public String jti;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;
    @Column(name = "deny_until")
    public OffsetDateTime denyUntil;

    @Override
    public String toString() {
        return "RevokedToken[" + jti + ", client=" + clientId + "]";
    }
}
