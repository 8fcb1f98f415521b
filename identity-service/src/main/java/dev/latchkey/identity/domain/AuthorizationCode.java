package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An authorization code, by the hex SHA-256 of its value (see V10__oauth.sql). */
@Entity
@Table(name = "authorization_codes", schema = "identity")
public class AuthorizationCode {

    @Id
    @Column(name = "code_hash")
    public String codeHash;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "redirect_uri")
    public String redirectUri;
    @Column(name = "code_challenge")
    public String codeChallenge;
    @Column(name = "user_id")
    public UUID userId;
    @Embedded
    public ChosenOrganization organization = new ChosenOrganization();
    public String scopes;
    /** The request's RFC 8707 resources, newline-separated; null for none. */
    public String resources;
    public String nonce;
    @Column(name = "auth_time")
    public OffsetDateTime authTime;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    @Column(name = "used_at")
    public OffsetDateTime usedAt;
    @Column(name = "session_id")
    public UUID sessionId;

    @Override
    public String toString() {
        return "AuthorizationCode[client=" + clientId + "]";
    }
}
