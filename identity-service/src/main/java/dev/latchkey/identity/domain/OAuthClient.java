package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered client of the authorization-code flow. Redirect URIs are stored newline-separated. */
@Entity
@Table(name = "oauth_clients", schema = "identity")
public class OAuthClient {

    public static final String PUBLIC = "public";
    public static final String CONFIDENTIAL = "confidential";

    @Id
    public String id;
    public String name;
    @Column(name = "client_type")
    public String clientType;
    @Column(name = "secret_hash")
    public String secretHash;
    @Column(name = "redirect_uris")
    public String redirectUris;
    /** RFC 8707 resources it may ask tokens for, newline-separated; empty for none. */
    public String resources = "";
    @Column(name = "skip_consent")
    public boolean skipConsent;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public List<String> redirectUriList() {
        return redirectUris == null || redirectUris.isEmpty() ? List.of() : Arrays.asList(redirectUris.split("\n"));
    }

    public List<String> resourceList() {
        return dev.latchkey.identity.oauth.ResourceIndicators.split(resources);
    }

    public boolean isPublic() {
        return PUBLIC.equals(clientType);
    }

    @Override
    public String toString() {
        return "OAuthClient[" + id + "]";
    }
}
