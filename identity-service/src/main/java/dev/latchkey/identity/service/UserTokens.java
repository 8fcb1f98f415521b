package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.token.AccessClaims;
import dev.latchkey.identity.token.TokenSigner.SignedToken;

/**
 * Access tokens for people ({@link AccessClaims#person} says what they carry), with the user's role read from
 * tenant-service when issued.
 */
@ApplicationScoped
public class UserTokens {

    private final TokenIssuer issuer;
    private final Duration ttl;

    public UserTokens(TokenIssuer issuer, IdentityConfig config) {
        this.issuer = issuer;
        this.ttl = config.accessTokenTtl();
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * A first-party token ({@code grant} null: no client, no scope, not limited), or one issued to the client of
     * {@code grant}, with its client and exactly its scopes; {@code email} and {@code email_verified} only when the
     * grant holds {@code email}, as userinfo answers.
     */
    public SignedToken issue(User user, OrganizationRole organization, String sessionId, ClientGrant grant) {
        boolean withEmail = grant == null || grant.withEmail();
        return issuer.issue(AccessClaims.person(
                new AccessClaims.Person(user.id.toString(), withEmail ? user.email : null, user.emailVerified(),
                        user.pending()),
                organization == null ? null : organization.organizationId(),
                organization == null ? null : organization.role(), sessionId,
                grant == null ? null : grant.clientId(), grant == null ? List.of() : grant.scopes(), ttl)
                .withAudience(grant == null ? null : grant.audience()));
    }

    public Instant expiresAt(Instant now) {
        return now.plus(ttl);
    }
}
