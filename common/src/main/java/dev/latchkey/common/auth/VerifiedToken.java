package dev.latchkey.common.auth;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.Permissions;
import dev.latchkey.common.rbac.ResourceScope;
import dev.latchkey.common.rbac.Role;

/**
 * An authenticated caller, whether it presented a JWT or an API key, with everything Latchkey decides on read
 * once, at verification time; it is what the verified-token and verified-key caches hold. Resources get it
 * from {@link Caller}; for a JWT every claim stays available through the {@link JsonWebToken} methods.
 * <p>
 * It keeps a compact copy of the claims, not smallrye-jwt's principal: that one holds the raw token (a bearer
 * credential the cache must not keep, as it is keyed by the token's hash for that reason) and its claims twice
 * over, several times the heap per cached token; with many distinct tokens cached, that heap turned into long
 * full collections on the request path (measured in bench/README).
 * <p>
 * Claims read are {@link Claims}' (identity-service's {@code token} package writes them); each is read here once, in
 * the constructor, and answered from a field by {@link #getClaim}. Value conversions are {@link ClaimValues}'.
 */
public final class VerifiedToken implements JsonWebToken {

    /** Who the caller is. */
    public enum Kind {
        /** A person signed in: {@code sub} is the user id, {@code sid} the session. */
        USER,
        /** An organization's API key, presented as is or exchanged for a JWT. */
        API_KEY,
        /** Another Latchkey service (client credentials, {@code token_use=service}). */
        SERVICE
    }

    /** Claims without a field of their own, as plain Java values (String, Long, Boolean, List, Map). */
    private final Map<String, Object> otherClaims;
    private final Set<String> claimNames;
    private final String issuer;
    private final Set<String> audience;
    private final long issuedAt;
    private final String tokenId;
    private final String name;
    private final Kind kind;
    private final String subject;
    private final String tenantId;
    private final String tokenUse;
    private final Set<String> scopes;
    private final Set<Role> roles;
    private final String sessionId;
    private final String keyId;
    private final Capability capability;
    private final ResourceScope resourceScope;
    private final RateLimit rateLimit;
    private final String email;
    private final boolean emailVerified;
    private final boolean pending;
    private final String clientId;
    private final long expiresAt;
    private final boolean presentedAsApiKey;

    /** Claims read into fields of their own (or not kept: {@code raw_token}, the bearer credential itself). */
    private static final Set<String> FIELDS = Set.of(Claims.ISSUER, Claims.SUBJECT, Claims.AUDIENCE,
            Claims.EXPIRES_AT, Claims.ISSUED_AT, Claims.TOKEN_ID, Claims.TENANT_ID, Claims.TOKEN_USE, Claims.GROUPS,
            Claims.SESSION_ID, Claims.KEY_ID, Claims.CAPABILITY, Claims.EMAIL, Claims.EMAIL_VERIFIED, Claims.PENDING,
            Claims.CLIENT_ID, Claims.RAW_TOKEN);

    /** From a verified JWT. */
    public VerifiedToken(JsonWebToken claims) {
        // Values that repeat across tokens (issuer, audience, organization, scopes) are interned: a cache of
        // thousands of tokens then holds one copy of each.
        this.issuer = intern(claims.getIssuer());
        this.audience = claims.getAudience() == null ? null
                : Set.copyOf(claims.getAudience().stream().map(VerifiedToken::intern).toList());
        this.issuedAt = claims.getIssuedAtTime();
        this.tokenId = claims.getTokenID();
        Set<String> names = claims.getClaimNames() == null ? Set.of() : claims.getClaimNames();
        Map<String, Object> others = new HashMap<>();
        Set<String> kept = new HashSet<>();
        for (String claim : names) {
            if (Claims.RAW_TOKEN.equals(claim)) {
                continue;
            }
            kept.add(claim.intern());
            if (!FIELDS.contains(claim)) {
                Object value = ClaimValues.plain(claims.getClaim(claim));
                if (value != null) {
                    others.put(claim.intern(), value);
                }
            }
        }
        this.otherClaims = Map.copyOf(others);
        this.claimNames = Set.copyOf(kept);
        this.subject = claims.getSubject();
        this.tenantId = intern(string(claims.getClaim(Claims.TENANT_ID)));
        this.tokenUse = intern(string(claims.getClaim(Claims.TOKEN_USE)));
        // Sorted once here, so that callers listing scopes need not sort per request.
        this.scopes = claims.getGroups() == null ? Set.of()
                : Collections.unmodifiableSortedSet(new TreeSet<>(claims.getGroups().stream()
                        .map(VerifiedToken::intern).toList()));
        this.sessionId = string(claims.getClaim(Claims.SESSION_ID));
        String key = string(claims.getClaim(Claims.KEY_ID));
        if (key == null && subject != null && subject.startsWith(Claims.API_KEY_SUBJECT_PREFIX)) {
            key = subject.substring(Claims.API_KEY_SUBJECT_PREFIX.length());
        }
        this.keyId = key;
        this.kind = Claims.SERVICE.equals(tokenUse) ? Kind.SERVICE : key != null ? Kind.API_KEY : Kind.USER;
        if (kind == Kind.API_KEY) {
            Capability parsed = Capability.parse(string(claims.getClaim(Claims.CAPABILITY)));
            // Tokens exchanged before capabilities existed carried organization-wide, read-write keys.
            this.capability = parsed == null ? Capability.READ_WRITE : parsed;
            this.resourceScope = ClaimValues.resourceScope(claims.getClaim(Claims.RESOURCE_SCOPE));
            this.rateLimit = ClaimValues.rateLimit(claims.getClaim(Claims.RATE_LIMIT));
            this.roles = EnumSet.of(Permissions.machineRole(capability));
        } else {
            this.capability = null;
            this.resourceScope = null;
            this.rateLimit = null;
            this.roles = ClaimValues.roles(claims.getClaim(Claims.ROLES));
        }
        this.email = string(claims.getClaim(Claims.EMAIL));
        this.emailVerified = ClaimValues.bool(claims.getClaim(Claims.EMAIL_VERIFIED));
        this.pending = ClaimValues.bool(claims.getClaim(Claims.PENDING));
        this.clientId = intern(string(claims.getClaim(Claims.CLIENT_ID)));
        this.expiresAt = claims.getExpirationTime();
        this.presentedAsApiKey = false;
        String principal = claims.getName();
        this.name = principal == null || principal.equals(subject) ? subject : principal;
    }

    /** From an API key that apikey-service found valid. */
    public static VerifiedToken ofApiKey(String keyId, String organizationId, Capability capability,
            ResourceScope scope, Collection<String> scopes, RateLimit rateLimit, long expiresAtEpochSecond) {
        return new VerifiedToken(keyId, organizationId, capability, scope, scopes, rateLimit, expiresAtEpochSecond);
    }

    private VerifiedToken(String keyId, String organizationId, Capability capability, ResourceScope scope,
            Collection<String> scopes, RateLimit rateLimit, long expiresAt) {
        this.claimNames = Set.of(Claims.SUBJECT, Claims.TENANT_ID, Claims.SCOPE, Claims.TOKEN_USE, Claims.KEY_ID,
                Claims.CAPABILITY);
        this.issuer = null;
        this.audience = null;
        this.issuedAt = 0;
        this.tokenId = null;
        this.kind = Kind.API_KEY;
        this.subject = Claims.API_KEY_SUBJECT_PREFIX + keyId;
        this.tenantId = organizationId;
        this.tokenUse = Claims.ACCESS;
        this.scopes = scopes == null ? Set.of() : Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
        this.otherClaims = Map.of(Claims.SCOPE, String.join(" ", this.scopes));
        this.keyId = keyId;
        this.capability = capability == null ? Capability.READ_WRITE : capability;
        this.resourceScope = scope == null ? ResourceScope.ORGANIZATION : scope;
        this.rateLimit = rateLimit;
        this.roles = EnumSet.of(Permissions.machineRole(this.capability));
        this.sessionId = null;
        this.email = null;
        this.emailVerified = false;
        this.pending = false;
        this.clientId = null;
        this.expiresAt = expiresAt;
        this.presentedAsApiKey = true;
        this.name = subject;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code tenant_id}: the organization the caller acts in, or null (a service token). */
    public String tenantId() {
        return tenantId;
    }

    /** Same as {@link #tenantId()}. */
    public String organizationId() {
        return tenantId;
    }

    /** {@code access} for tenants' callers, {@code service} for Latchkey services. */
    public String tokenUse() {
        return tokenUse;
    }

    public boolean isService() {
        return kind == Kind.SERVICE;
    }

    /** The space-separated {@code scope} claim (or the key's scopes) as a set, iterated in sorted order. */
    public Set<String> scopes() {
        return scopes;
    }

    /** The caller's roles in its organization: a person's from the token, a machine's from its capability. */
    public Set<Role> roles() {
        return roles;
    }

    /** The most powerful of {@link #roles()}, or null. */
    public Role role() {
        return Role.highest(roles);
    }

    /** {@code sid}: the session a person's token belongs to, or null. */
    public String sessionId() {
        return sessionId;
    }

    /** The API key behind this caller (presented or exchanged), or null. */
    public String keyId() {
        return keyId;
    }

    /** The key's capability, or null for a person or a service. */
    public Capability capability() {
        return capability;
    }

    /** The key's resource scope, or null for a person or a service. */
    public ResourceScope resourceScope() {
        return resourceScope;
    }

    /** The key's rate limit, or null when none applies. */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    public String email() {
        return email;
    }

    public boolean emailVerified() {
        return emailVerified;
    }

    /** An account signed in but not yet approved by an operator (access gating). */
    public boolean pending() {
        return pending;
    }

    /**
     * {@code client_id}: the OAuth client a person's token was issued to, or null for a first-party sign-in, an API
     * key or a service. A token with a client opens only what its {@link #scopes()} name ({@link ClientScopes}).
     */
    public String clientId() {
        return clientId;
    }

    /** The caller presented the API key itself rather than a JWT. */
    public boolean presentedAsApiKey() {
        return presentedAsApiKey;
    }

    /** The user id of a person's token, or null. */
    public String userId() {
        return kind == Kind.USER ? subject : null;
    }

    @Override
    public String getName() {
        return name;
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
    public String getIssuer() {
        return issuer;
    }

    @Override
    public Set<String> getAudience() {
        return audience;
    }

    @Override
    public long getIssuedAtTime() {
        return issuedAt;
    }

    @Override
    public String getTokenID() {
        return tokenId;
    }

    @Override
    public Set<String> getClaimNames() {
        return claimNames;
    }

    /**
     * A claim by name. Those with a field of their own come back as smallrye-jwt's standard claims do
     * ({@code iss}, {@code sub}, {@code jti} as String, {@code aud} and {@code groups} as Set, {@code exp} and
     * {@code iat} as Long); every other claim as a plain Java value (String, Long, Boolean, List, Map). Null for
     * {@code raw_token}: the token itself is never kept.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        if (!claimNames.contains(claimName)) {
            return null;
        }
        Object value = switch (claimName) {
            case Claims.ISSUER -> issuer;
            case Claims.SUBJECT -> subject;
            case Claims.AUDIENCE -> audience;
            case Claims.EXPIRES_AT -> expiresAt;
            case Claims.ISSUED_AT -> issuedAt;
            case Claims.TOKEN_ID -> tokenId;
            case Claims.GROUPS -> scopes;
            case Claims.TENANT_ID -> tenantId;
            case Claims.TOKEN_USE -> tokenUse;
            case Claims.KEY_ID -> keyId;
            case Claims.SESSION_ID -> sessionId;
            case Claims.EMAIL -> email;
            case Claims.EMAIL_VERIFIED -> emailVerified;
            case Claims.PENDING -> pending;
            case Claims.CLIENT_ID -> clientId;
            case Claims.CAPABILITY -> capability == null ? null : capability.value();
            default -> otherClaims.get(claimName);
        };
        return (T) value;
    }

    @Override
    public String toString() {
        return "VerifiedToken[kind=" + kind + ", sub=" + subject + ", tenant_id=" + tenantId + ", roles=" + roles + "]";
    }

    private static String string(Object value) {
        return ClaimValues.string(value);
    }

    private static String intern(String value) {
        return value == null ? null : value.intern();
    }
}
