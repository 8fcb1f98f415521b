package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;

import org.jose4j.jwt.JwtClaims;

import dev.latchkey.testing.ThirdPartyVerifier;

/** Verifies identity's tokens as a third party would: jose4j against the JWKS served over HTTP. */
final class IdentityTokens {

    static final String ISSUER = "http://127.0.0.1:9181";

    private IdentityTokens() {
    }

    static JwtClaims verify(String token) throws Exception {
        return ThirdPartyVerifier.verify(given().when().get("/.well-known/jwks.json").asString(), ISSUER, token);
    }
}
