package dev.latchkey.apikey.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.ApiKeyFormat;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * identity publishes a new key before signing with it; a service that cached the older JWKS must fetch it
 * again when a token names a kid it does not know. (The only test of this application that presents an
 * unknown kid: smallrye-jwt allows one forced refetch a minute.)
 */
@QuarkusTest
class KeyRotationTest {

    @AfterEach
    void unpublish() {
        FakeLatchkey.publishRotatedKey(false);
    }

    static int verifyWith(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token)
                .body("{\"key\":\"" + ApiKeyFormat.assemble("lk", "Q".repeat(36)) + "\"}")
                .when().post("/internal/v1/keys/verify").then().extract().statusCode();
    }

    @Test
    void aTokenSignedWithANewlyPublishedKeyIsAcceptedAfterARefetch() {
        // The JWKS as it was: this instance fetches and caches it.
        assertTrue(verifyWith(TestTokens.service("identity-service", "internal:apikeys.verify").sign()) == 200);
        long fetchesBefore = jwksFetches();

        FakeLatchkey.publishRotatedKey(true);
        String rotated = TestTokens.service("identity-service", "internal:apikeys.verify").signedByRotatedKey().sign();
        assertTrue(verifyWith(rotated) == 200, "the unknown kid made the verifier fetch the JWKS again");
        assertTrue(jwksFetches() > fetchesBefore);
    }

    private static long jwksFetches() {
        return FakeLatchkey.received().stream().filter(r -> r.path().equals("/.well-known/jwks.json")).count();
    }
}
