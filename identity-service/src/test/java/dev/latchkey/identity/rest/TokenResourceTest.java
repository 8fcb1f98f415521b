package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.testing.FakeLatchkey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TokenResourceTest {

    static final String TENANT_SERVICE_SECRET = "dev-tenant-service-secret";

    @BeforeEach
    void apiKeyService() {
        FakeApiKeyService.answering();
    }

    static io.restassured.response.ValidatableResponse exchange(String apiKey) {
        return given().contentType(ContentType.JSON).body("{\"api_key\":\"" + apiKey + "\"}")
                .when().post("/v1/auth/token").then();
    }

    @Nested
    class ApiKeyExchange {

        @Test
        void aValidKeyGetsAFifteenMinuteEs256TokenForItsTenantAndScopes() throws Exception {
            String token = exchange(FakeApiKeyService.VALID_KEY)
                    .statusCode(200)
                    .header("Cache-Control", "no-store")
                    .body("token_type", equalTo("Bearer"))
                    .body("expires_in", equalTo(900))
                    .extract().path("access_token");
            JwtClaims claims = IdentityTokens.verify(token);
            assertEquals("apikey:" + FakeApiKeyService.KEY_ID, claims.getSubject());
            assertEquals(FakeApiKeyService.TENANT_ID, claims.getStringClaimValue("tenant_id"));
            assertEquals("api_keys:read organizations:read", claims.getStringClaimValue("scope"));
            assertEquals("access", claims.getStringClaimValue("token_use"));
            assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
            assertEquals(FakeApiKeyService.KEY_ID, claims.getStringClaimValue("key_id"));
            assertEquals("read", claims.getStringClaimValue("capability"));
            assertEquals(java.util.List.of("member"), claims.getStringListClaimValue("roles"));
            assertEquals(java.util.Map.of("type", "project", "ids", java.util.List.of("p1")),
                    claims.getClaimValue("resource_scope"));
        }

        @Test
        void aTokenFromAnExpiringKeyIsRefusedEverywhereOnceTheKeyHasExpired() throws Exception {
            // Verifiers accept a token up to their clock skew after its exp: exp must leave that margin.
            long skew = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getValue("mp.jwt.verify.clock.skew", Long.class);
            long before = java.time.Instant.now().getEpochSecond();
            io.restassured.path.json.JsonPath answer = exchange(FakeApiKeyService.expiringIn(5)).statusCode(200)
                    .extract().jsonPath();
            long keyExpiry = java.time.Instant.now().getEpochSecond() + 5;
            JwtClaims claims = IdentityTokens.verify(answer.getString("access_token"));
            long exp = claims.getExpirationTime().getValue();
            assertTrue(exp <= keyExpiry - skew, "exp " + exp + " leaves the skew before the key's expiry " + keyExpiry);
            assertTrue(exp >= before + 5 - skew - 2, "but not much less: " + exp);
            assertTrue(answer.getLong("expires_in") <= 5 - skew, "expires_in " + answer.getLong("expires_in"));
        }

        @Test
        void aKeyExpiringWithinTheVerifiersClockSkewIsRefusedAsExpired() {
            exchange(FakeApiKeyService.expiringIn(0)).statusCode(401).body("code", equalTo("api_key_expired"));
        }

        @Test
        void aRepeatedExchangeIsAnsweredFromTheCacheWithoutAskingApiKeyService() {
            String key = FakeApiKeyService.neverSeenValidKey();
            exchange(key).statusCode(200);
            exchange(key).statusCode(200);
            exchange(key).statusCode(200);
            long asked = FakeLatchkey.received().stream().filter(r -> r.path().equals("/internal/v1/keys/verify")
                    && r.body().contains(key)).count();
            assertEquals(1, asked);
        }

        @Test
        void aMistypedKeyIsRefusedWithoutAskingApiKeyService() {
            String key = FakeApiKeyService.neverSeenValidKey();
            char last = key.charAt(key.length() - 1);
            String typo = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
            exchange(typo).statusCode(401).body("code", equalTo("invalid_api_key"));
            assertEquals(0, FakeLatchkey.received().stream().filter(r -> r.path().equals("/internal/v1/keys/verify")).count());
        }

        @Test
        void identityAuthenticatesToApiKeyServiceWithItsOwnServiceToken() throws Exception {
            exchange(FakeApiKeyService.neverSeenValidKey()).statusCode(200);
            String auth = FakeLatchkey.received().stream().filter(r -> r.path().equals("/internal/v1/keys/verify"))
                    .reduce((a, b) -> b).orElseThrow().header("Authorization");
            JwtClaims claims = IdentityTokens.verify(auth.substring("Bearer ".length()));
            assertEquals("service", claims.getStringClaimValue("token_use"));
            assertTrue(claims.getStringClaimValue("scope").contains("internal:apikeys.verify"));
            assertEquals("service:identity-service", claims.getSubject());
        }

        @Test
        void anUnknownKeyIs401InvalidApiKey() {
            exchange(dev.latchkey.common.auth.ApiKeyFormat.assemble("lk", "U".repeat(36))).statusCode(401).body("code", equalTo("invalid_api_key"));
        }

        @Test
        void aRevokedKeyIs401ApiKeyRevoked() {
            exchange(FakeApiKeyService.REVOKED_KEY).statusCode(401).body("code", equalTo("api_key_revoked"));
        }

        @Test
        void anExpiredKeyIs401ApiKeyExpired() {
            exchange(FakeApiKeyService.EXPIRED_KEY).statusCode(401).body("code", equalTo("api_key_expired"));
        }

        @Test
        void missingKeyIs400() {
            given().contentType(ContentType.JSON).body("{}").when().post("/v1/auth/token")
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", equalTo("'api_key' must not be blank"));
        }

        @Test
        void malformedJsonIs400() {
            given().contentType(ContentType.JSON).body("{\"api_key\":").when().post("/v1/auth/token")
                    .then().statusCode(400).body("code", equalTo("malformed_json"));
        }

        @Test
        void apiKeyServiceDownIs503() {
            FakeApiKeyService.down();
            exchange(FakeApiKeyService.neverSeenKey()).statusCode(503).body("code", equalTo("dependency_unavailable"))
                    .body("request_id", notNullValue());
        }
    }

    @Nested
    class ClientCredentials {

        @Test
        void aKnownClientGetsAServiceTokenWithItsScopes() throws Exception {
            String token = given().formParam("grant_type", "client_credentials")
                    .formParam("client_id", "tenant-service").formParam("client_secret", TENANT_SERVICE_SECRET)
                    .when().post("/v1/oauth/token")
                    .then().statusCode(200).header("Cache-Control", "no-store")
                    .body("scope", org.hamcrest.Matchers.startsWith("internal:apikeys.create internal:apikeys.verify"))
                    .extract().path("access_token");
            JwtClaims claims = IdentityTokens.verify(token);
            assertEquals("service:tenant-service", claims.getSubject());
            assertEquals("service", claims.getStringClaimValue("token_use"));
            assertTrue(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue() <= 300);
        }

        @Test
        void httpBasicAuthenticationWorks() {
            String basic = Base64.getEncoder()
                    .encodeToString(("tenant-service:" + TENANT_SERVICE_SECRET).getBytes(StandardCharsets.UTF_8));
            given().header("Authorization", "Basic " + basic).formParam("grant_type", "client_credentials")
                    .when().post("/v1/oauth/token").then().statusCode(200);
        }

        @Test
        void aWrongSecretIs401InvalidClient() {
            given().formParam("grant_type", "client_credentials")
                    .formParam("client_id", "tenant-service").formParam("client_secret", TENANT_SERVICE_SECRET + "x")
                    .when().post("/v1/oauth/token")
                    .then().statusCode(401).body("code", equalTo("invalid_client"));
        }

        @Test
        void anUnknownClientLooksLikeAWrongSecret() {
            given().formParam("grant_type", "client_credentials")
                    .formParam("client_id", "nobody").formParam("client_secret", TENANT_SERVICE_SECRET)
                    .when().post("/v1/oauth/token")
                    .then().statusCode(401).body("code", equalTo("invalid_client"))
                    .body("message", equalTo("Client authentication failed"));
        }

        @Test
        void noCredentialsIs401() {
            given().formParam("grant_type", "client_credentials").when().post("/v1/oauth/token")
                    .then().statusCode(401).body("code", equalTo("invalid_client"));
        }

        @Test
        void theClientRevokingItsOwnTokenIsAuthenticatedAsForIntrospectionAndTheTokenIsRevoked() {
            String token = given().formParam("grant_type", "client_credentials")
                    .formParam("client_id", "operator").formParam("client_secret", "dev-operator-secret")
                    .when().post("/v1/oauth/token").then().statusCode(200).extract().path("access_token");
            given().auth().preemptive().basic("operator", "dev-operator-secret").formParam("token", token)
                    .when().post("/v1/oauth/introspect").then().statusCode(200).body("active", equalTo(true));
            // A wrong secret is still invalid_client; another service's token is none of its business (200, alone).
            given().auth().preemptive().basic("operator", "wrong").formParam("token", token)
                    .when().post("/v1/oauth/revoke").then().statusCode(401).body("error", equalTo("invalid_client"));
            given().auth().preemptive().basic("tenant-service", TENANT_SERVICE_SECRET).formParam("token", token)
                    .when().post("/v1/oauth/revoke").then().statusCode(200);
            given().auth().preemptive().basic("operator", "dev-operator-secret").formParam("token", token)
                    .when().post("/v1/oauth/introspect").then().statusCode(200).body("active", equalTo(true));
            // The same credentials as at introspection revoke it (RFC 7009): it is inactive from then on.
            given().auth().preemptive().basic("operator", "dev-operator-secret").formParam("token", token)
                    .when().post("/v1/oauth/revoke").then().statusCode(200);
            given().auth().preemptive().basic("operator", "dev-operator-secret").formParam("token", token)
                    .when().post("/v1/oauth/introspect").then().statusCode(200).body("active", equalTo(false));
        }

        @Test
        void anotherGrantTypeIs400() {
            given().formParam("grant_type", "password").when().post("/v1/oauth/token")
                    .then().statusCode(400).body("code", equalTo("unsupported_grant_type"));
        }

        @Test
        void askingForScopesBeyondTheClientsIs400() {
            given().formParam("grant_type", "client_credentials").formParam("scope", "internal:tenants.create")
                    .formParam("client_id", "tenant-service").formParam("client_secret", TENANT_SERVICE_SECRET)
                    .when().post("/v1/oauth/token")
                    .then().statusCode(400).body("code", equalTo("invalid_scope"));
        }
    }
}
