package dev.latchkey.apikey.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.MessageDigest;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class InternalKeyResourceTest {

    static final String CREATE = "internal:apikeys.create";
    static final String VERIFY = "internal:apikeys.verify";

    @Inject
    Pool pool;

    static RequestSpecification as(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    static String creator() {
        return TestTokens.service("tenant-service", CREATE).sign();
    }

    static String verifier() {
        return TestTokens.service("identity-service", VERIFY).sign();
    }

    /** Creates a key for a new tenant; returns {id, key, tenant}. */
    static String[] newKey(String... scopes) {
        String tenant = UUID.randomUUID().toString();
        String scopesJson = scopes.length == 0 ? "[]" : "[\"" + String.join("\",\"", scopes) + "\"]";
        var body = as(creator()).body("{\"tenant_id\":\"" + tenant + "\",\"name\":\"ci\",\"scopes\":" + scopesJson + "}")
                .when().post("/internal/v1/keys").then().statusCode(201).extract().jsonPath();
        return new String[] { body.getString("id"), body.getString("key"), tenant };
    }

    static void verifyIs(String key, String code) {
        as(verifier()).body("{\"key\":\"" + key + "\"}")
                .when().post("/internal/v1/keys/verify")
                .then().statusCode(200).body("code", equalTo(code)).body("valid", equalTo("VALID".equals(code)));
    }

    @Nested
    class Create {

        @Test
        void returns201WithTheKeyOnceAndStoresOnlyItsHash() throws Exception {
            String tenant = UUID.randomUUID().toString();
            var body = as(creator())
                    .body("{\"tenant_id\":\"" + tenant + "\",\"name\":\"ci\",\"scopes\":[\"organizations:read\"]}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(201)
                    .header("Cache-Control", "no-store")
                    .body("key", startsWith("lk_"))
                    .body("tenant_id", equalTo(tenant))
                    .body("scopes", hasItems("organizations:read"))
                    .extract().jsonPath();
            String key = body.getString("key");
            Row row = pool.preparedQuery("select * from apikey.api_keys where id = $1")
                    .execute(Tuple.of(UUID.fromString(body.getString("id")))).await().indefinitely().iterator().next();
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(key.getBytes("UTF-8")),
                    row.getBuffer("key_hash").getBytes());
            assertEquals(body.getString("start"), row.getString("start"));
            for (int i = 0; i < row.size(); i++) {
                Object value = row.getValue(i);
                assertFalse(value != null && value.toString().contains(key.substring(7)),
                        "column " + row.getColumnName(i) + " holds the key");
            }
        }

        @Test
        void withoutTokenIs401() {
            given().contentType(ContentType.JSON).body("{\"tenant_id\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(401).body("code", equalTo("auth_required"));
        }

        @Test
        void tenantTokenClaimingTheInternalScopeIs403() {
            as(TestTokens.access(UUID.randomUUID().toString(), CREATE).sign())
                    .body("{\"tenant_id\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void serviceTokenWithAnotherScopeIs403() {
            as(verifier()).body("{\"tenant_id\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(403);
        }

        @Test
        void forgedServiceTokenIs401() {
            as(TestTokens.service("tenant-service", CREATE).signedByRogueKey().sign())
                    .body("{\"tenant_id\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(401);
        }

        @Test
        void missingTenantIs400() {
            as(creator()).body("{\"name\":\"x\"}").when().post("/internal/v1/keys")
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", equalTo("'tenant_id' must not be null"));
        }

        @Test
        void badTenantIdIs400() {
            as(creator()).body("{\"tenant_id\":\"nope\",\"name\":\"x\"}").when().post("/internal/v1/keys")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void reservedScopeIs400() {
            as(creator()).body("{\"tenant_id\":\"" + UUID.randomUUID() + "\",\"name\":\"x\",\"scopes\":[\"internal:apikeys.verify\"]}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void expiryInThePastIs400() {
            as(creator()).body("{\"tenant_id\":\"" + UUID.randomUUID() + "\",\"name\":\"x\",\"expires_at\":\"2000-01-01T00:00:00Z\"}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }
    }

    @Nested
    class Verify {

        @Test
        void aFreshKeyIsValidWithItsTenantAndScopes() {
            String[] key = newKey("organizations:read", "api_keys:read");
            as(verifier()).body("{\"key\":\"" + key[1] + "\"}")
                    .when().post("/internal/v1/keys/verify")
                    .then().statusCode(200)
                    .body("valid", equalTo(true)).body("code", equalTo("VALID"))
                    .body("key_id", equalTo(key[0])).body("tenant_id", equalTo(key[2]))
                    .body("scopes", hasItems("organizations:read", "api_keys:read"));
        }

        @Test
        void anUnknownKeyIsNotFound() {
            verifyIs("lk_" + "Z".repeat(43), "NOT_FOUND");
        }

        @Test
        void junkIsNotFound() {
            verifyIs("hello", "NOT_FOUND");
        }

        @Test
        void aKeyOffByOneCharacterIsNotFound() {
            String key = newKey()[1];
            char last = key.charAt(key.length() - 1);
            verifyIs(key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a'), "NOT_FOUND");
        }

        @Test
        void aRevokedKeyIsRevokedAndGivesNothingAway() {
            String[] key = newKey("organizations:read");
            pool.preparedQuery("update apikey.api_keys set revoked_at = now() where id = $1")
                    .execute(Tuple.of(UUID.fromString(key[0]))).await().indefinitely();
            verifyIs(key[1], "REVOKED");
            as(verifier()).body("{\"key\":\"" + key[1] + "\"}").when().post("/internal/v1/keys/verify")
                    .then().body("tenant_id", nullValue()).body("scopes", nullValue());
        }

        @Test
        void anExpiredKeyIsExpired() {
            String[] key = newKey();
            pool.preparedQuery("update apikey.api_keys set expires_at = now() - interval '1 second' where id = $1")
                    .execute(Tuple.of(UUID.fromString(key[0]))).await().indefinitely();
            verifyIs(key[1], "EXPIRED");
        }

        @Test
        void withoutTokenIs401() {
            given().contentType(ContentType.JSON).body("{\"key\":\"x\"}").when().post("/internal/v1/keys/verify")
                    .then().statusCode(401);
        }

        @Test
        void tenantTokenIs403() {
            as(TestTokens.access(UUID.randomUUID().toString(), VERIFY).sign()).body("{\"key\":\"x\"}")
                    .when().post("/internal/v1/keys/verify")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void algNoneServiceTokenIs401() {
            as(TestTokens.unsigned(verifier())).body("{\"key\":\"x\"}").when().post("/internal/v1/keys/verify")
                    .then().statusCode(401);
        }

        @Test
        void missingKeyIs400() {
            as(verifier()).body("{}").when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }
    }
}
