package dev.latchkey.common.auth;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A verified bearer token with the claims Latchkey decides on read once, at verification time; it is what
 * the verified-token cache holds. Resources get it from {@link Caller}; the full claim set stays available
 * through the {@link JsonWebToken} methods.
 */
public final class VerifiedToken implements JsonWebToken {

    private final JsonWebToken claims;
    private final String subject;
    private final String tenantId;
    private final String tokenUse;
    private final Set<String> scopes;
    private final long expiresAt;

    public VerifiedToken(JsonWebToken claims) {
        this.claims = claims;
        this.subject = claims.getSubject();
        Object tenant = claims.getClaim(Scopes.TENANT_ID_CLAIM);
        this.tenantId = tenant == null ? null : tenant.toString();
        Object use = claims.getClaim(Scopes.TOKEN_USE_CLAIM);
        this.tokenUse = use == null ? null : use.toString();
        // Sorted once here, so that callers listing scopes need not sort per request.
        this.scopes = claims.getGroups() == null ? Set.of()
                : Collections.unmodifiableSortedSet(new TreeSet<>(claims.getGroups()));
        this.expiresAt = claims.getExpirationTime();
    }

    /** {@code tenant_id}, or null for a service token. */
    public String tenantId() {
        return tenantId;
    }

    /** {@code access} for tenants' callers, {@code service} for Latchkey services. */
    public String tokenUse() {
        return tokenUse;
    }

    public boolean isService() {
        return Scopes.TOKEN_USE_SERVICE.equals(tokenUse);
    }

    /** The space-separated {@code scope} claim as a set, iterated in sorted order. */
    public Set<String> scopes() {
        return scopes;
    }

    @Override
    public String getName() {
        return claims.getName();
    }

    @Override
    public String getSubject() {
        return subject;
    }

    @Override
    public Set<String> getGroups() {
        return scopes;
    }

    @Override
    public long getExpirationTime() {
        return expiresAt;
    }

    @Override
    public Set<String> getClaimNames() {
        return claims.getClaimNames();
    }

    @Override
    public <T> T getClaim(String claimName) {
        return claims.getClaim(claimName);
    }

    @Override
    public String toString() {
        return "VerifiedToken[sub=" + subject + ", tenant_id=" + tenantId + ", token_use=" + tokenUse + "]";
    }
}
