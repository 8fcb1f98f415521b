package dev.latchkey.identity.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.keys.Jwks;
import dev.latchkey.identity.keys.KeyStatus;
import dev.latchkey.identity.keys.SigningKey;
import dev.latchkey.identity.keys.SigningKeys;
import dev.latchkey.testing.ThirdPartyVerifier;

class TokenSignerTest {

    private final SigningKey key = SigningKeys.generateEs256(100, Instant.now());
    private final TokenSigner signer = new TokenSigner("https://id.example", "latchkey");

    private static JwtClaims verify(List<SigningKey> published, String token) throws Exception {
        return ThirdPartyVerifier.verify(Jwks.publicJson(published), "https://id.example", token);
    }

    @Test
    void signedTokenVerifiesAgainstThePublishedJwksWithEveryClaim() throws Exception {
        Instant now = Instant.now();
        TokenSigner.SignedToken token = signer.sign(new TokenRequest("apikey:k1", "t1",
                List.of("organizations:read", "api_keys:read"), "access", Duration.ofMinutes(15)), key, now);

        JwtClaims claims = verify(List.of(key), token.compact());
        assertEquals("apikey:k1", claims.getSubject());
        assertEquals("t1", claims.getStringClaimValue("tenant_id"));
        assertEquals("organizations:read api_keys:read", claims.getStringClaimValue("scope"));
        assertEquals("access", claims.getStringClaimValue("token_use"));
        assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertTrue(claims.getJwtId().length() >= 32);

        JsonWebSignature header = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(token.compact());
        assertEquals(key.kid(), header.getKeyIdHeaderValue());
        assertEquals("ES256", header.getAlgorithmHeaderValue());
    }

    /**
     * The signer is Bouncy Castle's; the verifier here is the JDK's own {@code SHA256withECDSA} in its JWS form
     * (P1363: R and S as two 32-byte integers), so a format slip — DER, a short R or S, a signature over the wrong
     * bytes — fails in a library that shares no code with the signer. Many tokens, so that the 1-in-128 R or S
     * with a leading zero byte is certainly among them.
     */
    @Test
    void everySignatureIsStandardEs256ThatTheJdkVerifies() throws Exception {
        TokenRequest request = new TokenRequest("user:1", "t1", List.of("a"), "access", Duration.ofMinutes(5));
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        for (int i = 0; i < 600; i++) {
            String[] parts = signer.sign(request, key, Instant.now()).compact().split("\\.");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            assertEquals(64, signature.length);
            jdk.initVerify(key.publicKey());
            jdk.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            assertTrue(jdk.verify(signature), "token " + i + " does not verify with the JDK");
        }
    }

    @Test
    void aTokenWhosePayloadWasEditedDoesNotVerify() throws Exception {
        String[] parts = signer.sign(new TokenRequest("user:1", "t1", List.of("read"), "access",
                Duration.ofMinutes(5)), key, Instant.now()).compact().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"read\"", "\"admin\"").getBytes(StandardCharsets.UTF_8));
        assertFalse(forged.equals(parts[1]));
        assertThrows(InvalidJwtException.class, () -> verify(List.of(key), parts[0] + "." + forged + "." + parts[2]));
    }

    @Test
    void onlyP256KeysSignEs256() throws Exception {
        java.security.KeyPairGenerator p384 = java.security.KeyPairGenerator.getInstance("EC");
        p384.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        java.security.KeyPair pair = p384.generateKeyPair();
        SigningKey wrong = new SigningKey("p384", "ES256", KeyStatus.ACTIVE, 1, pair.getPublic(), pair.getPrivate(),
                Instant.now());
        assertThrows(IllegalArgumentException.class, () -> signer.sign(
                new TokenRequest("s", null, List.of(), "access", Duration.ofMinutes(1)), wrong, Instant.now()));
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        TokenRequest request = new TokenRequest("s", null, List.of(), "service", Duration.ofMinutes(1));
        Instant now = Instant.now();
        String a = verify(List.of(key), signer.sign(request, key, now).compact()).getJwtId();
        String b = verify(List.of(key), signer.sign(request, key, now).compact()).getJwtId();
        assertFalse(a.equals(b));
    }

    @Test
    void aTokenFromAnotherKeyDoesNotVerify() throws Exception {
        SigningKey other = SigningKeys.generateEs256(100, Instant.now());
        String token = signer.sign(new TokenRequest("s", null, List.of(), "access", Duration.ofMinutes(1)), other,
                Instant.now()).compact();
        assertThrows(InvalidJwtException.class, () -> verify(List.of(key), token));
    }

    @Test
    void onlyActiveKeysSign() {
        SigningKey passive = new SigningKey(key.kid(), key.algorithm(), KeyStatus.PASSIVE, 1, key.publicKey(),
                key.privateKey(), key.createdAt());
        assertThrows(IllegalArgumentException.class, () -> signer.sign(
                new TokenRequest("s", null, List.of(), "access", Duration.ofMinutes(1)), passive, Instant.now()));
    }

    @Test
    void jwksPublishesActiveAndPassiveKeysWithoutPrivateParts() {
        SigningKey passive = new SigningKey("old", key.algorithm(), KeyStatus.PASSIVE, 1, key.publicKey(),
                key.privateKey(), key.createdAt());
        SigningKey disabled = new SigningKey("gone", key.algorithm(), KeyStatus.RETIRED, 1, key.publicKey(),
                key.privateKey(), key.createdAt());
        String json = Jwks.publicJson(List.of(key, passive, disabled));
        assertTrue(json.contains("\"kid\":\"" + key.kid() + "\""));
        assertTrue(json.contains("\"kid\":\"old\""));
        assertFalse(json.contains("\"kid\":\"gone\""));
        assertFalse(json.contains("\"d\""), "private scalar must never be published");
        assertFalse(key.toString().contains("privateKey"), "a key never prints its private half");
    }
}
