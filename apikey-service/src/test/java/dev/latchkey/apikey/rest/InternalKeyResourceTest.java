package dev.latchkey.apikey.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.secret.KeyHasher;
import dev.latchkey.common.auth.ApiKeyFormat;
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

    @org.junit.jupiter.api.BeforeEach
    void tenantUp() {
        Fixtures.tenantAcceptsAudit();
    }

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
        Fixtures.PLAINTEXTS.add(body.getString("key"));
        return new String[] { body.getString("id"), body.getString("key"), tenant };
    }

    static void verifyIs(String key, String code) {
        as(verifier()).body("{\"key\":\"" + key + "\"}")
                .when().post("/internal/v1/keys/verify")
                .then().statusCode(200).body("status", equalTo(code)).body("valid", equalTo("VALID".equals(code)));
    }

    @Nested
    class Create {

        @Test
        void returns201WithTheKeyOnceAndStoresOnlyItsKeyedHash() throws Exception {
            String tenant = UUID.randomUUID().toString();
            String user = UUID.randomUUID().toString();
            var body = as(creator())
                    .body("{\"tenant_id\":\"" + tenant + "\",\"name\":\"ci\",\"scopes\":[\"organizations:read\"],"
                            + "\"created_by\":\"" + user + "\"}")
                    .when().post("/internal/v1/keys")
                    .then().statusCode(201)
                    .header("Cache-Control", "no-store")
                    .body("key", startsWith("lk_"))
                    .body("organization_id", equalTo(tenant))
                    .body("$", not(hasKey("tenant_id")))
                    .body("capability", equalTo("read_write"))
                    .body("resource_scope.type", equalTo("organization"))
                    .body("created_by.type", equalTo("user"))
                    .body("created_by.id", equalTo(user))
                    .body("scopes", hasItems("organizations:read"))
                    .extract().jsonPath();
            String key = body.getString("key");
            Fixtures.PLAINTEXTS.add(key);
            assertTrue(ApiKeyFormat.wellFormed(key));
            Row row = pool.preparedQuery("select * from apikey.api_keys where id = $1")
                    .execute(Tuple.of(UUID.fromString(body.getString("id")))).await().indefinitely().iterator().next();
            KeyHasher hasher = new KeyHasher(VerificationTest.config("latchkey.apikey.pepper"), List.of());
            assertArrayEquals(hasher.hash(key), row.getBuffer("key_hash").getBytes());
            assertEquals(hasher.currentScheme(), row.getString("hash_scheme"));
            assertFalse(java.util.Arrays.equals(MessageDigest.getInstance("SHA-256").digest(key.getBytes("UTF-8")),
                    row.getBuffer("key_hash").getBytes()));
            assertEquals(body.getString("start"), row.getString("start"));
            for (int i = 0; i < row.size(); i++) {
                Object value = row.getValue(i);
                assertFalse(value != null && value.toString().contains(key.substring(8, 36)),
                        "column " + row.getColumnName(i) + " holds the key");
            }
        }

        @Test
        void theOrganizationsOwnPrefixIsUsed() {
            Fixtures.Org org = Fixtures.org();
            Fixtures.bearer(org.owner()).body("{\"prefix\":\"mao_key\"}").put("/v1/api-keys/settings").then().statusCode(200);
            String key = as(creator()).body("{\"tenant_id\":\"" + org.id() + "\",\"name\":\"x\",\"capability\":\"read\"}")
                    .post("/internal/v1/keys").then().statusCode(201).body("capability", equalTo("read"))
                    .extract().path("key");
            Fixtures.PLAINTEXTS.add(key);
            assertTrue(key.startsWith("mao_key_"), key);
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
    class RevokeAll {

        static final String REVOKE = "internal:apikeys.revoke";

        @Test
        void revokesEveryKeyOfTheOrganizationAndOnlyThoseOnce() {
            Fixtures.Org org = Fixtures.org();
            String[] first = Fixtures.adminKey(org);
            String second = Fixtures.create(org.owner()).getString("key");
            String rotating = Fixtures.create(org.owner()).getString("id");
            Fixtures.PLAINTEXTS.add(Fixtures.bearer(org.owner()).body("{\"grace_period_seconds\":600}")
                    .post("/v1/api-keys/" + rotating + "/rotate").then().statusCode(201).extract().path("key"));
            String alreadyRevoked = Fixtures.create(org.owner()).getString("id");
            Fixtures.bearer(org.owner()).delete("/v1/api-keys/" + alreadyRevoked).then().statusCode(200);
            String[] elsewhere = Fixtures.adminKey(Fixtures.org());
            Fixtures.verifyStatus(first[1], "VALID");

            as(TestTokens.service("tenant-service", REVOKE).sign())
                    .post("/internal/v1/organizations/" + org.id() + "/keys/revoke")
                    .then().statusCode(200).body("revoked", equalTo(4));
            Fixtures.verifyStatus(first[1], "REVOKED");
            Fixtures.verifyStatus(second, "REVOKED");
            Fixtures.verifyStatus(elsewhere[1], "VALID");
            as(TestTokens.service("tenant-service", REVOKE).sign())
                    .post("/internal/v1/organizations/" + org.id() + "/keys/revoke")
                    .then().statusCode(200).body("revoked", equalTo(0));
        }

        @Test
        void withoutTokenIs401WrongScopeOrTenantTokenIs403BadIdIs404() {
            String path = "/internal/v1/organizations/" + UUID.randomUUID() + "/keys/revoke";
            given().post(path).then().statusCode(401).body("code", equalTo("auth_required"));
            as(TestTokens.service("tenant-service", CREATE).sign()).post(path).then().statusCode(403)
                    .body("code", equalTo("access_denied"));
            as(TestTokens.access(UUID.randomUUID().toString(), REVOKE).sign()).post(path).then().statusCode(403);
            as(TestTokens.service("tenant-service", REVOKE).sign()).post("/internal/v1/organizations/nope/keys/revoke")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }
    }

    @Nested
    class Status {

        @Test
        void aWorkingKeyIsActiveARevokedOrUnknownOneIsDenied() {
            Fixtures.Org org = Fixtures.org();
            String[] key = Fixtures.adminKey(org);
            as(verifier()).get("/internal/v1/keys/" + key[0] + "/status").then().statusCode(200)
                    .body("active", equalTo(true)).body("deny_until", equalTo(0));
            Fixtures.bearer(org.owner()).delete("/v1/api-keys/" + key[0]).then().statusCode(200);
            long denyUntil = as(verifier()).get("/internal/v1/keys/" + key[0] + "/status").then().statusCode(200)
                    .body("active", equalTo(false)).extract().jsonPath().getLong("deny_until");
            assertTrue(denyUntil > java.time.Instant.now().getEpochSecond() + 600, "denied while its tokens may live");
            for (String unknown : List.of(UUID.randomUUID().toString(), "nope")) {
                as(verifier()).get("/internal/v1/keys/" + unknown + "/status").then().statusCode(200)
                        .body("active", equalTo(false));
            }
        }

        @Test
        void withoutTokenIs401AndWithoutTheScope403() {
            String path = "/internal/v1/keys/" + UUID.randomUUID() + "/status";
            given().get(path).then().statusCode(401);
            as(creator()).get(path).then().statusCode(403).body("code", equalTo("access_denied"));
        }
    }

    @Nested
    class Denied {

        @Test
        void listsKeysRevokedOrExpiredSinceATimeFromPostgresAnnouncedOrNot() {
            Fixtures.Org org = Fixtures.org();
            String[] revoked = Fixtures.adminKey(org);
            String[] silent = Fixtures.adminKey(org);
            String[] expired = Fixtures.adminKey(org);
            String[] working = Fixtures.adminKey(org);
            long since = java.time.Instant.now().getEpochSecond() - 1;
            Fixtures.bearer(org.owner()).delete("/v1/api-keys/" + revoked[0]).then().statusCode(200);
            // Revoked and expired behind the announcements' back: only PostgreSQL knows.
            pool.preparedQuery("update apikey.api_keys set revoked_at = now(), revocation_announced = true where id = $1")
                    .execute(Tuple.of(UUID.fromString(silent[0]))).await().indefinitely();
            pool.preparedQuery("update apikey.api_keys set expires_at = now() where id = $1")
                    .execute(Tuple.of(UUID.fromString(expired[0]))).await().indefinitely();

            io.restassured.path.json.JsonPath denied = as(verifier()).queryParam("since", since)
                    .get("/internal/v1/keys/denied").then().statusCode(200).extract().jsonPath();
            List<String> ids = denied.getList("keys.id");
            assertTrue(ids.containsAll(List.of(revoked[0], silent[0], expired[0])), ids.toString());
            assertFalse(ids.contains(working[0]), "a working key is not denied");
            long until = denied.getLong("keys.find { it.id == '" + silent[0] + "' }.deny_until");
            assertTrue(until > java.time.Instant.now().getEpochSecond() + 600, "denied while its tokens may live");

            List<String> later = as(verifier()).queryParam("since", java.time.Instant.now().getEpochSecond() + 5)
                    .get("/internal/v1/keys/denied").then().statusCode(200).extract().jsonPath().getList("keys.id");
            assertFalse(later.contains(revoked[0]), "only keys denied since the time asked");
        }

        @Test
        void withoutTokenIs401AndWithoutTheScope403() {
            given().queryParam("since", 0).get("/internal/v1/keys/denied").then().statusCode(401);
            as(creator()).queryParam("since", 0).get("/internal/v1/keys/denied").then().statusCode(403)
                    .body("code", equalTo("access_denied"));
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
                    .body("valid", equalTo(true)).body("status", equalTo("VALID"))
                    .body("key_id", equalTo(key[0])).body("organization_id", equalTo(key[2]))
                    .body("scopes", hasItems("organizations:read", "api_keys:read"));
        }

        @Test
        void anUnknownKeyIsNotFound() {
            verifyIs(ApiKeyFormat.assemble("lk", "Z".repeat(36)), "NOT_FOUND");
        }

        @Test
        void junkIsMalformed() {
            verifyIs("hello", "MALFORMED");
        }

        @Test
        void aKeyOffByOneCharacterIsMalformed() {
            String key = newKey()[1];
            verifyIs(Fixtures.typo(key, key.length() - 1), "MALFORMED");
            verifyIs(Fixtures.typo(key, 5), "MALFORMED");
        }

        @Test
        void anUnknownWellFormedKeyIsNotFound() {
            verifyIs(ApiKeyFormat.assemble("nsk", dev.latchkey.common.crypto.Secrets.randomBase62(36)), "NOT_FOUND");
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
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", equalTo("'key' must not be null"));
        }

        @Test
        void aNullOrEmptyBodyIs400() {
            as(verifier()).body("null").when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(verifier()).when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void aKeyOver256CharactersIs400AndUpTo256IsAVerdict() {
            as(verifier()).body("{\"key\":\"" + "a".repeat(257) + "\"}").when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", equalTo("'key' size must be between 0 and 256"));
            verifyIs("a".repeat(256), "MALFORMED");
        }

        @Test
        void aBodyThatIsNotJsonOrNotUtf8OrAmbiguousIs400WithItsCode() {
            // verify reads its body itself (InternalKeyResource.verifyReader): the common input rules still hold.
            as(verifier()).body("{\"key\":").when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("malformed_json"));
            as(verifier()).body(new byte[] { '{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}' })
                    .when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("invalid_encoding"));
            as(verifier()).body("{\"key\":\"" + newKey()[1] + "\",\"key\":\"hello\"}").when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", equalTo("Field 'key' appears more than once"));
            as(verifier()).body("{\"key\":\"a\\u0000b\"}").when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            given().contentType(ContentType.TEXT).header("Authorization", "Bearer " + verifier()).body("{\"key\":\"x\"}")
                    .when().post("/internal/v1/keys/verify").then().statusCode(415);
        }

        @Test
        void aKeyOfTheWrongTypeIs400() {
            as(verifier()).body("{\"key\":42}").when().post("/internal/v1/keys/verify")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }
    }
}
