package dev.latchkey.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * Verifies Latchkey's tokens the way a third party would: jose4j against a JWKS document, ES256 only, with
 * issuer, audience, expiry and jti required. The signature is also checked by the JDK's own ECDSA (SunEC):
 * Latchkey installs Bouncy Castle's ES256 into jose4j in the services' JVM ({@code Es256}), so in tests jose4j
 * alone would be checking Latchkey's signer with Latchkey's verifier.
 */
public final class ThirdPartyVerifier {

    private ThirdPartyVerifier() {
    }

    public static JwtClaims verify(String jwksJson, String issuer, String token) throws InvalidJwtException {
        JsonWebKeySet jwks;
        try {
            jwks = new JsonWebKeySet(jwksJson);
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a JWKS: " + jwksJson, e);
        }
        jdkSignatureCheck(jwks, token);
        return new JwtConsumerBuilder()
                .setExpectedIssuer(issuer)
                .setExpectedAudience(TestTokens.AUDIENCE)
                .setRequireExpirationTime()
                .setRequireJwtId()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver((jws, nested) -> {
                    try {
                        return new VerificationJwkSelector().select(jws, jwks.getJsonWebKeys()).getKey();
                    } catch (JoseException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .build()
                .processToClaims(token);
    }

    private static void jdkSignatureCheck(JsonWebKeySet jwks, String token) throws InvalidJwtException {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw new InvalidJwtException("not a compact JWS", List.of(), null);
        }
        try {
            JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(token);
            JsonWebKey key = new VerificationJwkSelector().select(jws, jwks.getJsonWebKeys());
            if (key == null) {
                throw new InvalidJwtException("no key in the JWKS for kid " + jws.getKeyIdHeaderValue(), List.of(), null);
            }
            Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
            jdk.initVerify((java.security.PublicKey) key.getKey());
            jdk.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!jdk.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new InvalidJwtException("the JDK's ECDSA refuses the signature", List.of(), null);
            }
        } catch (JoseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidJwtException("signature check failed: " + e, List.of(), null);
        }
    }
}
