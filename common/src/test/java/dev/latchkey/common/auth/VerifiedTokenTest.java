package dev.latchkey.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;
import dev.latchkey.common.rbac.Role;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * What the verified-token cache keeps of a JWT: every claim, read the way callers read them, and never the
 * token itself (the cache is keyed by the token's hash so that no bearer credential stays in memory).
 */
class VerifiedTokenTest {

    private static final String RAW = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyOjEifQ.c2lnbmF0dXJlLW9mLWEtYmVhcmVyLXRva2Vu";

    private static JsonWebToken principal(JwtClaims claims) {
        claims.setClaim("raw_token", RAW); // how smallrye-jwt's parser hands the token to its principal
        return new DefaultJWTCallerPrincipal(RAW, "JWT", claims);
    }

    private static JwtClaims person() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://localhost:8081");
        claims.setAudience("latchkey");
        claims.setSubject("5b7c0f6e-2d1a-4f7e-9a53-0d3f3c1e9b11");
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(1_800_000_000L));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(1_800_000_900L));
        claims.setJwtId("3f1c2b7a-0c9e-4e55-8d7a-1b2c3d4e5f60");
        claims.setStringClaim("tenant_id", "org-1");
        claims.setStringClaim("scope", "organizations:read members:read");
        // smallrye-jwt's parser copies the scope into groups (smallrye.jwt.path.groups=scope, set in each service's
        // application.properties).
        claims.setStringListClaim("groups", "organizations:read", "members:read");
        claims.setStringClaim("token_use", "access");
        claims.setStringClaim("sid", "session-1");
        claims.setStringListClaim("roles", "admin");
        claims.setStringClaim("email", "ada@example.com");
        claims.setClaim("email_verified", true);
        claims.setStringClaim("azp", "cli");
        claims.setClaim("auth_time", 1_799_999_000L);
        return claims;
    }

    @Test
    void everyClaimStaysReadable() {
        VerifiedToken token = new VerifiedToken(principal(person()));
        assertEquals(VerifiedToken.Kind.USER, token.kind());
        assertEquals("http://localhost:8081", token.getIssuer());
        assertEquals(Set.of("latchkey"), token.getAudience());
        assertEquals(1_800_000_000L, token.getIssuedAtTime());
        assertEquals(1_800_000_900L, token.getExpirationTime());
        assertEquals("3f1c2b7a-0c9e-4e55-8d7a-1b2c3d4e5f60", token.getTokenID());
        assertEquals("5b7c0f6e-2d1a-4f7e-9a53-0d3f3c1e9b11", token.getName());
        assertEquals("org-1", token.getClaim("tenant_id"));
        assertEquals("organizations:read members:read", token.getClaim("scope"));
        assertEquals(Set.of("organizations:read", "members:read"), token.scopes());
        assertEquals(Set.of(Role.ADMIN), token.roles());
        assertEquals(List.of("admin"), token.getClaim("roles"));
        assertEquals(Boolean.TRUE, token.getClaim("email_verified"));
        assertEquals("cli", token.getClaim("azp"), "a claim Latchkey does not read is kept too");
        assertEquals(1_799_999_000L, (Long) token.getClaim("auth_time"));
        assertTrue(token.getClaimNames().containsAll(Set.of("iss", "aud", "sub", "exp", "iat", "jti", "tenant_id",
                "scope", "token_use", "sid", "roles", "email", "email_verified", "azp", "auth_time")));
        assertNull(token.getClaim("nope"));
    }

    @Test
    void aTokenIssuedToAnOAuthClientNamesItAndItsScopes() {
        JwtClaims claims = person();
        claims.setStringClaim("client_id", "my-web");
        claims.setStringClaim("scope", "openid sessions");
        claims.setStringListClaim("groups", "openid", "sessions");
        VerifiedToken token = new VerifiedToken(principal(claims));
        assertEquals("my-web", token.clientId());
        assertEquals("my-web", token.getClaim("client_id"));
        assertEquals(Set.of("openid", "sessions"), token.scopes());
        assertEquals(VerifiedToken.Kind.USER, token.kind());
        // A first-party sign-in's token names no client.
        assertNull(new VerifiedToken(principal(person())).clientId());
    }

    @Test
    void eachActionIsOpenedToClientsByOneScope() {
        for (dev.latchkey.common.rbac.Action action : dev.latchkey.common.rbac.Action.values()) {
            String expected = action.name().startsWith("API_KEYS_") && action.mutating() ? ClientScopes.API_KEYS_WRITE
                    : action.mutating() ? ClientScopes.ORGANIZATIONS_WRITE : ClientScopes.ORGANIZATIONS_READ;
            assertEquals(expected, ClientScopes.of(action), action.name());
        }
        assertTrue(ClientScopes.latchkeys("sessions") && ClientScopes.latchkeys("internal:admin"));
        assertFalse(ClientScopes.latchkeys("projects:read") || ClientScopes.latchkeys("openid"));
    }

    @Test
    void anExchangedApiKeysStructuredClaimsSurvive() {
        JwtClaims claims = person();
        claims.setSubject("apikey:key-1");
        claims.unsetClaim("roles");
        claims.setStringClaim("key_id", "key-1");
        claims.setStringClaim("capability", "read");
        claims.setClaim("resource_scope", Map.of("type", "project", "ids", List.of("p1", "p2")));
        claims.setClaim("rate_limit", Map.of("per_minute", 60, "burst", 10));
        VerifiedToken token = new VerifiedToken(principal(claims));
        assertEquals(VerifiedToken.Kind.API_KEY, token.kind());
        assertEquals(Capability.READ, token.capability());
        assertEquals(ResourceScope.Type.PROJECT, token.resourceScope().type());
        assertEquals(Set.of("p1", "p2"), token.resourceScope().ids());
        assertEquals(60, token.rateLimit().perMinute());
        assertEquals(10, token.rateLimit().burst());
        Map<?, ?> scope = token.getClaim("resource_scope");
        assertEquals(List.of("p1", "p2"), scope.get("ids"));
    }

    /** A heap dump of a service must not hand out working bearer tokens: the cache holds none. */
    @Test
    void theTokenItselfIsNotKept() throws Exception {
        VerifiedToken token = new VerifiedToken(principal(person()));
        assertNull(token.getRawToken());
        assertNull(token.getClaim("raw_token"));
        assertFalse(token.getClaimNames().contains("raw_token"));
        for (Field field : VerifiedToken.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value = field.get(token);
            assertFalse(value instanceof JsonWebToken, field.getName() + " holds smallrye-jwt's principal");
            assertFalse(String.valueOf(value).contains(RAW), field.getName() + " holds the raw token");
        }
    }
}
