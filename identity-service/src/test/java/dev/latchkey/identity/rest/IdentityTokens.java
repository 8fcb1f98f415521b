package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/** Verifies identity's tokens the way a third party would: jose4j against the JWKS served over HTTP. */
final class IdentityTokens {

    static final String ISSUER = "http://127.0.0.1:9181";

    private IdentityTokens() {
    }

    static JwtClaims verify(String token) throws Exception {
        JsonWebKeySet jwks = new JsonWebKeySet(given().when().get("/.well-known/jwks.json").asString());
        return new JwtConsumerBuilder()
                .setExpectedIssuer(ISSUER)
                .setExpectedAudience("latchkey")
                .setRequireExpirationTime()
                .setRequireJwtId()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver((jws, nested) -> {
                    try {
                        return new VerificationJwkSelector().select(jws, jwks.getJsonWebKeys()).getKey();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                })
                .build()
                .processToClaims(token);
    }
}
