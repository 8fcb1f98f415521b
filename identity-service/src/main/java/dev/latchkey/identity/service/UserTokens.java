package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.User;
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
     * {@code withEmail} false leaves {@code email} and {@code email_verified} out: a token issued to an OAuth client
     * whose grant does not hold the {@code email} scope (userinfo withholds them too).
     */
    public SignedToken issue(User user, OrganizationRole organization, String sessionId, List<String> scopes,
            boolean withEmail) {
        return issue(user, organization, sessionId, scopes, withEmail, null);
    }

    /** {@code audience}: an RFC 8707 resource a client's grant asked for; null for Latchkey's own services. */
    public SignedToken issue(User user, OrganizationRole organization, String sessionId, List<String> scopes,
            boolean withEmail, String audience) {
        return issuer.issue(AccessClaims.person(
                new AccessClaims.Person(user.id.toString(), withEmail ? user.email : null, user.emailVerified(),
                        user.pending()),
                organization == null ? null : organization.organizationId(),
                organization == null ? null : organization.role(), sessionId, scopes, ttl).withAudience(audience));
    }

    public Instant expiresAt(Instant now) {
        return now.plus(ttl);
    }
}
