package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which client a session was granted to, with the scopes and when the person authenticated. */
@Entity
@Table(name = "oauth_sessions", schema = "identity")
public class OAuthSession {

    @Id
    @Column(name = "session_id")
    public UUID sessionId;
    @Column(name = "client_id")
    public String clientId;
    public String scopes;
    @Column(name = "auth_time")
    public OffsetDateTime authTime;

    @Override
    public String toString() {
        return "OAuthSession[" + sessionId + ", client=" + clientId + "]";
    }
}
