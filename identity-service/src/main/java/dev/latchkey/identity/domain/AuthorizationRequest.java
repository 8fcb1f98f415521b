package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An authorization request in progress on the sign-in pages (see V10__oauth.sql). */
@Entity
@Table(name = "authorization_requests", schema = "identity")
public class AuthorizationRequest {

    @Id
    public String id;
    @Column(name = "browser_hash")
    public String browserHash;
    @Column(name = "client_id")
    public String clientId;
    @Column(name = "redirect_uri")
    public String redirectUri;
    public String scopes;
    /** RFC 8707 resources asked for, newline-separated; null for none. */
    public String resources;
    public String state;
    public String nonce;
    @Column(name = "code_challenge")
    public String codeChallenge;
    public String host;
    @Column(name = "user_id")
    public UUID userId;
    @Column(name = "session_id")
    public UUID sessionId;
    @Column(name = "organization_id")
    public UUID organizationId;
    @Column(name = "auth_time")
    public OffsetDateTime authTime;
    @Column(name = "upstream_provider")
    public String upstreamProvider;
    @Column(name = "upstream_state_hash")
    public String upstreamStateHash;
    @Column(name = "upstream_verifier")
    public String upstreamVerifier;
    @Column(name = "upstream_nonce")
    public String upstreamNonce;
    /** Set when a person entered a device's user code (RFC 8628): the pages end on a page, not at a client. */
    @Column(name = "device_code_hash")
    public String deviceCodeHash;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Override
    public String toString() {
        return "AuthorizationRequest[client=" + clientId + "]";
    }
}
