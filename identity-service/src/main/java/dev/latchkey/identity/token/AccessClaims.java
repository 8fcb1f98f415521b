package dev.latchkey.identity.token;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.latchkey.common.auth.Claims;
import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;
import dev.latchkey.common.rbac.Role;

/**
 * What each kind of access token carries, assembled in one place on common's {@link Claims} vocabulary (which
 * common's {@code VerifiedToken} reads back): a person's, an API key's, a Latchkey service's. A new claim is a
 * constant in {@link Claims}, a line here and a line in {@code VerifiedToken}.
 */
public final class AccessClaims {

    private AccessClaims() {
    }

    /**
     * Who signed in, as a person's token describes them; {@code email} null for a token issued to an OAuth client
     * whose grant lacks the {@code email} scope (the token then carries neither {@code email} nor
     * {@code email_verified}).
     */
    public record Person(String userId, String email, boolean emailVerified, boolean pending) {
    }

    /**
     * A person's token: {@code sub} the user id, {@code tenant_id} the organization the session acts in (null:
     * none yet), {@code roles} the user's role there, {@code sid} the session; {@code email},
     * {@code email_verified} (unless the person's e-mail is withheld, see {@link Person}) and, for an account
     * awaiting approval, {@code pending}. A token issued to an OAuth client names it ({@code client_id}, RFC 9068
     * §2.2) and carries exactly the granted {@code scopes}, which are then all it opens; a first-party sign-in's
     * ({@code clientId} null) carries neither and is not limited.
     */
    public static TokenRequest person(Person person, String organizationId, String role, String sessionId,
            String clientId, List<String> scopes, Duration ttl) {
        Map<String, Object> claims = new HashMap<>();
        claims.put(Claims.SESSION_ID, sessionId);
        if (clientId != null) {
            claims.put(Claims.CLIENT_ID, clientId);
        }
        if (person.email() != null) {
            claims.put(Claims.EMAIL, person.email());
            claims.put(Claims.EMAIL_VERIFIED, person.emailVerified());
        }
        claims.put(Claims.ROLES, role == null ? List.of() : List.of(role));
        if (person.pending()) {
            claims.put(Claims.PENDING, true);
        }
        return new TokenRequest(person.userId(), organizationId, scopes, Claims.ACCESS, ttl, claims);
    }

    /**
     * A token exchanged from an API key: what the key may do ({@code key_id}, {@code capability}, {@code roles}
     * of a machine caller, {@code resource_scope} and, when it has one, {@code rate_limit}).
     */
    public static TokenRequest apiKey(String subject, String organizationId, List<String> scopes, Duration ttl,
            String keyId, Capability capability, Collection<Role> roles, ResourceScope reach, RateLimit rateLimit) {
        Map<String, Object> claims = new HashMap<>();
        claims.put(Claims.KEY_ID, keyId);
        claims.put(Claims.CAPABILITY, capability.value());
        claims.put(Claims.ROLES, roles.stream().map(Role::value).toList());
        Map<String, Object> resourceScope = new HashMap<>();
        resourceScope.put(Claims.RESOURCE_SCOPE_TYPE, reach.type().value());
        if (!reach.organizationWide()) {
            resourceScope.put(Claims.RESOURCE_SCOPE_IDS, List.copyOf(reach.ids()));
        }
        claims.put(Claims.RESOURCE_SCOPE, resourceScope);
        if (rateLimit != null && rateLimit.limited()) {
            claims.put(Claims.RATE_LIMIT, Map.of(Claims.RATE_LIMIT_PER_MINUTE, rateLimit.perMinute(),
                    Claims.RATE_LIMIT_BURST, rateLimit.burst()));
        }
        return new TokenRequest(subject, organizationId, scopes, Claims.ACCESS, ttl, claims);
    }

    /** A Latchkey service's token ({@code sub} = {@code service:<client id>}, no organization). */
    public static TokenRequest service(String clientId, List<String> scopes, Duration ttl) {
        return new TokenRequest(Claims.SERVICE_SUBJECT_PREFIX + clientId, null, scopes, Claims.SERVICE, ttl);
    }
}
