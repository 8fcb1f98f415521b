package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;

import org.jose4j.jwt.JwtClaims;

import dev.latchkey.testing.ThirdPartyVerifier;

/** Verifies identity's tokens as a third party would: jose4j against the JWKS served over HTTP. */
final class IdentityTokens {

    /** identity's issuer in tests: its own test URL (the port can be moved with LATCHKEY_TEST_PORT_IDENTITY). */
    static final String ISSUER = "http://127.0.0.1:"
            + org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);

    private IdentityTokens() {
    }

    /** An OpenID Connect ID token for {@code clientId}: signature by the JWKS, iss, aud, exp. */
    static JwtClaims verifyIdToken(String token, String clientId) throws Exception {
        var jwks = new org.jose4j.jwk.JsonWebKeySet(given().when().get("/.well-known/jwks.json").asString());
        return new org.jose4j.jwt.consumer.JwtConsumerBuilder().setExpectedIssuer(ISSUER).setExpectedAudience(clientId)
                .setRequireExpirationTime().setRequireSubject()
                .setVerificationKeyResolver(new org.jose4j.keys.resolvers.JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .build().processToClaims(token);
    }

    static JwtClaims verify(String token) throws Exception {
        return ThirdPartyVerifier.verify(given().when().get("/.well-known/jwks.json").asString(), ISSUER, token);
    }
}
