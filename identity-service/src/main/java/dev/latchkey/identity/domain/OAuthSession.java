package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Which client a session was granted to, with the scopes, resources and organization of the grant and when the
 * person authenticated.
 */
@Entity
@Table(name = "oauth_sessions", schema = "identity")
public class OAuthSession {

    @Id
    @Column(name = "session_id")
    public UUID sessionId;
    @Column(name = "client_id")
    public String clientId;
    public String scopes;
    /** RFC 8707 resources the authorization request asked for (tokens may be for one of them); null for none. */
    public String resources;
    /**
     * The organization the person chose for the client: its tokens act there at every refresh. Null: none chosen
     * (a token exchange), the session's organization is used.
     */
    @Column(name = "organization_id")
    public UUID organizationId;
    @Column(name = "auth_time")
    public OffsetDateTime authTime;

    @Override
    public String toString() {
        return "OAuthSession[" + sessionId + ", client=" + clientId + "]";
    }
}
