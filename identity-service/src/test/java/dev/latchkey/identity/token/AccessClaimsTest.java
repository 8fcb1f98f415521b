package dev.latchkey.identity.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;
import dev.latchkey.common.rbac.Role;
import dev.latchkey.identity.keys.Jwks;
import dev.latchkey.identity.keys.SigningKey;
import dev.latchkey.identity.keys.SigningKeys;
import dev.latchkey.testing.ThirdPartyVerifier;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * The claims contract end to end: what identity's {@link AccessClaims} writes, signed and verified by a third
 * party, is what common's {@link VerifiedToken} reads back, for each kind of token.
 */
class AccessClaimsTest {

    private final SigningKey key = SigningKeys.generateEs256(100, Instant.now());
    private final TokenSigner signer = new TokenSigner("https://id.example", "latchkey");

    private VerifiedToken signedAndReadBack(TokenRequest request) throws Exception {
        String compact = signer.sign(request, key, Instant.now()).compact();
        JwtClaims claims = ThirdPartyVerifier.verify(Jwks.publicJson(List.of(key)), "https://id.example", compact);
        return new VerifiedToken(new DefaultJWTCallerPrincipal(compact, "JWT", claims));
    }

    @Test
    void aPersonsTokenCarriesTheSessionTheRoleAndTheAddress() throws Exception {
        VerifiedToken token = signedAndReadBack(AccessClaims.person(
                new AccessClaims.Person("user-1", "ada@example.com", true, true), "org-1", "admin", "session-1",
                null, List.of(), Duration.ofMinutes(15)));
        assertEquals(VerifiedToken.Kind.USER, token.kind());
        assertEquals("user-1", token.userId());
        assertEquals("org-1", token.tenantId());
        assertEquals("access", token.tokenUse());
        assertEquals("session-1", token.sessionId());
        assertEquals(Set.of(Role.ADMIN), token.roles());
        assertEquals("ada@example.com", token.email());
        assertTrue(token.emailVerified());
        assertTrue(token.pending());
        // A first-party sign-in: no client, no scope, not limited by client scopes.
        assertNull(token.clientId());
        assertFalse(token.getClaimNames().contains("client_id"));
        assertTrue(token.scopes().isEmpty());
    }

    @Test
    void aTokenIssuedToAnOAuthClientNamesItAndCarriesExactlyTheGrantedScopes() throws Exception {
        VerifiedToken token = signedAndReadBack(AccessClaims.person(
                new AccessClaims.Person("user-1", null, true, false), "org-1", "member", "session-1",
                "my-web", List.of("openid", "sessions", "organizations:read"), Duration.ofMinutes(15)));
        assertEquals("my-web", token.clientId());
        assertEquals("my-web", token.getClaim("client_id"));
        // As granted, space-separated (the services' smallrye-jwt reads it into scopes(), see TokenVerifier).
        assertEquals("openid sessions organizations:read", token.getClaim("scope"));
        assertEquals(VerifiedToken.Kind.USER, token.kind());
        assertNull(token.email());
    }

    @Test
    void aPersonWithoutAnOrganizationHasNoRoleAndAnApprovedAccountNoPendingClaim() throws Exception {
        VerifiedToken token = signedAndReadBack(AccessClaims.person(
                new AccessClaims.Person("user-2", "bo@example.com", false, false), null, null, "session-2",
                null, List.of(), Duration.ofMinutes(15)));
        assertNull(token.tenantId());
        assertTrue(token.roles().isEmpty());
        assertFalse(token.emailVerified());
        assertFalse(token.pending());
        assertFalse(token.getClaimNames().contains("pending"));
    }

    @Test
    void anApiKeysTokenCarriesWhatTheKeyMayDo() throws Exception {
        ResourceScope projects = ResourceScope.of(ResourceScope.Type.PROJECT, List.of("p1", "p2"));
        VerifiedToken token = signedAndReadBack(AccessClaims.apiKey("apikey:k1", "org-1", List.of("a", "b"),
                Duration.ofMinutes(15), "k1", Capability.READ, EnumSet.of(Role.MEMBER), projects,
                new RateLimit(60, 10)));
        assertEquals(VerifiedToken.Kind.API_KEY, token.kind());
        assertEquals("k1", token.keyId());
        assertEquals(Capability.READ, token.capability());
        assertEquals(projects, token.resourceScope());
        assertEquals(new RateLimit(60, 10), token.rateLimit());
        assertEquals("access", token.tokenUse());
    }

    @Test
    void anOrganizationWideUnlimitedKeyCarriesNeitherIdsNorALimit() throws Exception {
        VerifiedToken token = signedAndReadBack(AccessClaims.apiKey("apikey:k2", "org-1", List.of(),
                Duration.ofMinutes(15), "k2", Capability.READ_WRITE, EnumSet.of(Role.ADMIN), ResourceScope.ORGANIZATION,
                null));
        assertEquals(ResourceScope.ORGANIZATION, token.resourceScope());
        assertNull(token.rateLimit());
        assertFalse(token.getClaimNames().contains("rate_limit"));
    }

    @Test
    void aServicesTokenNamesTheServiceAndNoOrganization() throws Exception {
        VerifiedToken token = signedAndReadBack(AccessClaims.service("tenant-service",
                List.of("internal:audit.write"), Duration.ofMinutes(5)));
        assertTrue(token.isService());
        assertEquals("service:tenant-service", token.getSubject());
        assertNull(token.tenantId());
        assertEquals("service", token.tokenUse());
    }
}
