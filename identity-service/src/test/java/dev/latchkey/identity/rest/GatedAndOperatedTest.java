package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.testing.ThirdPartyVerifier;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Access gating (Kisenon's alpha), operator approval, operator HTTP Basic, and signing-key rotation. No @Nested
 * classes here: Quarkus starts nested classes of a @TestProfile test without the profile.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
@TestProfile(GatedAndOperatedTest.Gated.class)
class GatedAndOperatedTest {

    public static class Gated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.identity.gating.enabled", "true",
                    "latchkey.identity.gating.allowlist", "alpha.example,vip@example.com",
                    "latchkey.identity.gating.require-approval", "true",
                    "latchkey.identity.basic-auth.enabled", "true",
                    "latchkey.identity.key-rotation.publish-lead", "PT3S");
        }
    }

    static final String OPERATOR_SECRET = "dev-operator-secret";

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @jakarta.inject.Inject
    dev.latchkey.identity.service.SigningKeyService keys;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    static String operatorToken() {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", "operator")
                .formParam("client_secret", OPERATOR_SECRET).when().post("/v1/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    static String allowedEmail() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@alpha.example";
    }


        @Test
        void anAddressOffTheAllowlistCannotSignUpAndNothingIsCreated() {
            String outsider = People.newEmail();
            People.register(outsider, People.PASSWORD, "Out").statusCode(403).body("code", equalTo("email_not_allowed"));
            People.login(outsider, People.PASSWORD).statusCode(403).body("code", equalTo("email_not_allowed"));
            assertTrue(FakeLatchkeyRequests.none("/onboard"), "no organization was created");
        }

        @Test
        void anAllowlistedAccountStartsPendingAndOnlyMeAnswersIt() throws Exception {
            String email = allowedEmail();
            People.register(email, People.PASSWORD, "Al").statusCode(201).body("status", equalTo("pending"));
            var signedIn = People.login(email, People.PASSWORD).statusCode(200).extract().jsonPath();
            String token = signedIn.getString("access_token");
            assertEquals(true, IdentityTokens.verify(token).getClaimValue("pending"));
            given().header("Authorization", "Bearer " + token).when().get("/v1/me")
                    .then().statusCode(200).body("pending", equalTo(true));
            given().header("Authorization", "Bearer " + token).when().get("/v1/sessions")
                    .then().statusCode(403).body("code", equalTo("alpha_pending"));

            String id = signedIn.getString("user.id");
            given().header("Authorization", "Bearer " + operatorToken()).when().post("/v1/admin/users/" + id + "/approve")
                    .then().statusCode(200).body("status", equalTo("active"));
            // Approval takes effect at the next refresh.
            String refreshed = People.refresh(signedIn.getString("refresh_token")).statusCode(200)
                    .extract().path("access_token");
            assertEquals(null, IdentityTokens.verify(refreshed).getClaimValue("pending"));
            given().header("Authorization", "Bearer " + refreshed).when().get("/v1/sessions").then().statusCode(200);
        }

        @Test
        void aListedAddressIsAdmittedToo() {
            People.register("vip@example.com".replace("vip", "vip"), People.PASSWORD, "V");
            // Either created now or by an earlier run: never refused by the gate.
            People.login("vip@example.com", "definitely the wrong one").statusCode(401);
        }


        @Test
        void approvingNeedsAnOperator() {
            given().when().post("/v1/admin/users/" + UUID.randomUUID() + "/approve")
                    .then().statusCode(401).body("code", equalTo("auth_required"));
            String notOperator = given().formParam("grant_type", "client_credentials").formParam("client_id", "tenant-service")
                    .formParam("client_secret", "dev-tenant-service-secret").when().post("/v1/oauth/token")
                    .then().extract().path("access_token");
            given().header("Authorization", "Bearer " + notOperator).when().post("/v1/admin/users/" + UUID.randomUUID() + "/approve")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            given().header("Authorization", "Bearer " + operatorToken()).when().post("/v1/admin/users/" + UUID.randomUUID() + "/approve")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void httpBasicWithTheOperatorsSecretWorksFromLoopback() {
            given().auth().preemptive().basic("operator", OPERATOR_SECRET)
                    .when().post("/v1/admin/users/" + UUID.randomUUID() + "/approve")
                    .then().statusCode(404);
            given().auth().preemptive().basic("operator", "guess")
                    .when().post("/v1/admin/users/" + UUID.randomUUID() + "/approve")
                    .then().statusCode(401);
            given().auth().preemptive().basic("tenant-service", "dev-tenant-service-secret")
                    .when().post("/v1/admin/users/" + UUID.randomUUID() + "/approve")
                    .then().statusCode(401);
        }


        @Test
        void aNewKeyIsPublishedBeforeItSignsAndOldTokensKeepVerifying() throws Exception {
            // A key left waiting by an earlier run (with another publish lead) would be returned instead of a new one.
            pool.query("update identity.signing_keys set status = 'RETIRED' where activates_at > now()").execute()
                    .await().indefinitely();
            keys.maintain().await().indefinitely();
            String before = clientCredentialsToken();
            String kidBefore = kid(before);
            var rotated = given().header("Authorization", "Bearer " + operatorToken()).when().post("/v1/admin/keys/rotate")
                    .then().statusCode(200).body("created", equalTo(true)).extract().jsonPath();
            String newKid = rotated.getString("kid");
            assertNotEquals(kidBefore, newKid);
            // Published at once, not signing yet.
            String jwks = given().when().get("/.well-known/jwks.json").asString();
            assertTrue(jwks.contains(newKid) && jwks.contains(kidBefore), jwks);
            assertEquals(kidBefore, kid(clientCredentialsToken()));
            // A second request while a key waits returns the waiting key.
            given().header("Authorization", "Bearer " + operatorToken()).when().post("/v1/admin/keys/rotate")
                    .then().statusCode(200).body("kid", equalTo(newKid)).body("created", equalTo(false));

            String after = Awaitility.await("the new key signs after the publish lead").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100)).until(this::clientCredentialsToken, t -> kid(t).equals(newKid));
            assertEquals(newKid, kid(after), "the new key signs after the publish lead");
            String jwksNow = given().when().get("/.well-known/jwks.json").asString();
            // Both verify with a third-party JOSE library against the published keys.
            ThirdPartyVerifier.verify(jwksNow, IdentityTokens.ISSUER, before);
            ThirdPartyVerifier.verify(jwksNow, IdentityTokens.ISSUER, after);
        }

        @Test
        void aTokenSignedByAnUnpublishedKeyNeverVerifies() {
            String forged = dev.latchkey.testing.TestTokens.service("operator", "internal:admin")
                    .issuer(IdentityTokens.ISSUER).signedByRogueKey().kid(kid(clientCredentialsToken())).sign();
            String jwks = given().when().get("/.well-known/jwks.json").asString();
            assertThrows(InvalidJwtException.class, () -> ThirdPartyVerifier.verify(jwks, IdentityTokens.ISSUER, forged));
            given().header("Authorization", "Bearer " + forged).when().post("/v1/admin/keys/rotate")
                    .then().statusCode(401);
        }

        String clientCredentialsToken() {
            return operatorToken();
        }

        String kid(String token) {
            try {
                return ((JsonWebSignature) JsonWebSignature.fromCompactSerialization(token)).getKeyIdHeaderValue();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

    /** What FakeLatchkey saw. */
    static final class FakeLatchkeyRequests {
        static boolean none(String pathSuffix) {
            return dev.latchkey.testing.FakeLatchkey.received().stream().noneMatch(r -> r.path().endsWith(pathSuffix));
        }
    }
}
