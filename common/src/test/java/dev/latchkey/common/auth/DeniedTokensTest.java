package dev.latchkey.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/** The deny-list of tokens without a session or key: by id, by client up to a moment, expiring on its own. */
class DeniedTokensTest {

    static final long NOW = 1_800_000_000L;

    static VerifiedToken token(String subject, String tokenUse, String jti, long issuedAt) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(subject);
        claims.setJwtId(jti);
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt + 300));
        claims.setClaim(Claims.TOKEN_USE, tokenUse);
        return new VerifiedToken(new DefaultJWTCallerPrincipal("raw", "JWT", claims));
    }

    static VerifiedToken service(String client, String jti, long issuedAt) {
        return token(Claims.SERVICE_SUBJECT_PREFIX + client, Claims.SERVICE, jti, issuedAt);
    }

    @Test
    void aTokenRevokedByIdIsDeniedUntilItsDenyUntilAndThenForgotten() {
        DeniedTokens denied = new DeniedTokens();
        denied.apply(DeniedTokens.TOKEN, "j1", Long.toString(NOW + 60));
        assertTrue(denied.denied(service("tenant-service", "j1", NOW - 10), NOW));
        assertFalse(denied.denied(service("tenant-service", "j2", NOW - 10), NOW));
        assertFalse(denied.denied(service("tenant-service", "j1", NOW - 10), NOW + 60));
        denied.expire(NOW + 60);
        assertFalse(denied.denied(service("tenant-service", "j1", NOW - 10), NOW));
    }

    @Test
    void aClientRevocationDeniesItsTokensIssuedUpToThenAndNotLaterOnes() {
        DeniedTokens denied = new DeniedTokens();
        denied.apply(DeniedTokens.CLIENT, "svc", NOW + ":" + (NOW + 900));
        assertTrue(denied.denied(service("svc", "a", NOW - 100), NOW + 1));
        assertTrue(denied.denied(service("svc", "b", NOW), NOW + 1), "issued in the second of the revocation");
        assertFalse(denied.denied(service("svc", "c", NOW + 1), NOW + 1), "issued after it");
        assertFalse(denied.denied(service("other", "d", NOW - 100), NOW + 1));
        // A person's token of the same name is not a client's service token: its session answers for it.
        assertFalse(denied.denied(token("svc", Claims.ACCESS, "e", NOW - 100), NOW + 1));
    }

    @Test
    void aLaterClientRevocationWidensAnEarlierOne() {
        DeniedTokens denied = new DeniedTokens();
        denied.client("svc", new DeniedTokens.ClientDenial(NOW, NOW + 900));
        denied.addAll(new DeniedTokens.Denied(Map.of(), Map.of("svc", new DeniedTokens.ClientDenial(NOW + 50, NOW + 950))));
        denied.client("svc", new DeniedTokens.ClientDenial(NOW - 50, NOW + 100));
        assertTrue(denied.denied(service("svc", "a", NOW + 40), NOW + 920));
    }

    @Test
    void malformedAnnouncementsAreIgnored() {
        DeniedTokens denied = new DeniedTokens();
        denied.apply(DeniedTokens.CLIENT, "svc", "no-colon");
        denied.apply(DeniedTokens.TOKEN, "j", "soon");
        denied.apply("other", "x", "1");
        assertFalse(denied.denied(service("svc", "j", NOW - 1), NOW));
    }

    @Test
    void theClientOfAServiceTokenIsItsSubjectAfterThePrefix() {
        assertEquals("svc", DeniedTokens.clientOf(service("svc", "j", NOW)));
        assertNull(DeniedTokens.clientOf(token("user-1", Claims.ACCESS, "j", NOW)));
    }
}
