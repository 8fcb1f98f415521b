package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Scopes;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.token.TokenRequest;
import dev.latchkey.identity.token.TokenSigner.SignedToken;

/**
 * Access tokens for people: {@code sub} is the user id, {@code tenant_id} the organization the session acts
 * in, {@code roles} the user's role there (read from tenant-service when issued), {@code sid} the session;
 * {@code email}, {@code email_verified} and, for an account awaiting approval, {@code pending}.
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

    public SignedToken issue(User user, OrganizationRole organization, String sessionId, List<String> scopes) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sid", sessionId);
        claims.put("email", user.email);
        claims.put("email_verified", user.emailVerified());
        claims.put("roles", organization == null || organization.role() == null ? List.of() : List.of(organization.role()));
        if (user.pending()) {
            claims.put("pending", true);
        }
        return issuer.issue(new TokenRequest(user.id.toString(), organization == null ? null : organization.organizationId(),
                scopes, Scopes.TOKEN_USE_ACCESS, ttl, claims));
    }

    public Instant expiresAt(Instant now) {
        return now.plus(ttl);
    }
}
