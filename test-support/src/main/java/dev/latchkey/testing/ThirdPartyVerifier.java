package dev.latchkey.testing;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * Verifies Latchkey's tokens the way a third party would: plain jose4j against a JWKS document, ES256 only,
 * with issuer, audience, expiry and jti required.
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
}
