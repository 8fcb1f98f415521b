package dev.latchkey.apikey.rest;

import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static dev.latchkey.apikey.rest.Fixtures.apiKey;
import static dev.latchkey.apikey.rest.Fixtures.bearer;
import static dev.latchkey.apikey.rest.Fixtures.create;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.rest.Fixtures.Org;
import dev.latchkey.common.auth.ApiKeyFormat;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code /v1/api-keys}: one nested class per endpoint, one test (at least) per status it documents. */
@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class ApiKeyResourceTest {

    @Inject
    Pool pool;

    @BeforeEach
    void tenantUp() {
        Fixtures.tenantAcceptsAudit();
    }

    static void refused(io.restassured.response.Response response, int status, String code) {
        response.then().statusCode(status).contentType(ContentType.JSON).body("code", equalTo(code))
                .body("request_id", notNullValue());
    }

    @Nested
    class Create {

        @Test
        void anOwnerGets201WithTheKeyOnceReadWriteAndOrganizationWideByDefault() {
            Org org = Fixtures.org();
            var response = bearer(org.owner()).body("{\"name\":\" deploy bot \"}").when().post("/v1/api-keys");
            response.then().statusCode(201)
                    .header("Cache-Control", "no-store")
                    .header("Location", containsString("/v1/api-keys/"))
                    .body("key", startsWith("lk_"))
                    .body("name", equalTo("deploy bot"))
                    .body("organization_id", equalTo(org.id()))
                    .body("capability", equalTo("read_write"))
                    .body("resource_scope.type", equalTo("organization"))
                    .body("rate_limit", nullValue())
                    .body("status", equalTo("active"))
                    .body("created_by.type", equalTo("user"))
                    .body("created_by.id", equalTo(org.ownerId()));
            JsonPath body = response.jsonPath();
            String key = body.getString("key");
            Fixtures.PLAINTEXTS.add(key);
            assertTrue(ApiKeyFormat.wellFormed(key));
            assertEquals(key.substring(0, 7), body.getString("start"));
            assertEquals(key.substring(key.length() - 4), body.getString("last_four"));
        }

        @Test
        void everyOptionIsStoredAndShown() {
            Org org = Fixtures.org();
            String expires = OffsetDateTime.now().plusDays(30).withNano(0).toInstant().toString();
            JsonPath created = create(org.admin(), "{\"name\":\"reader\",\"capability\":\"read\",\"expires_at\":\"" + expires
                    + "\",\"resource_scope\":{\"type\":\"project\",\"ids\":[\"p2\",\"p1\"]},"
                    + "\"rate_limit\":{\"per_minute\":120,\"burst\":20},\"scopes\":[\"projects:read\"]}");
            bearer(org.owner()).when().get("/v1/api-keys/" + created.getString("id"))
                    .then().statusCode(200)
                    .body("capability", equalTo("read"))
                    .body("resource_scope.type", equalTo("project"))
                    .body("resource_scope.ids", equalTo(List.of("p1", "p2")))
                    .body("rate_limit.per_minute", equalTo(120))
                    .body("rate_limit.burst", equalTo(20))
                    .body("scopes", equalTo(List.of("projects:read")))
                    .body("key", nullValue());
            assertEquals(Instant.parse(expires), OffsetDateTime.parse(created.getString("expires_at")).toInstant());
        }

        @Test
        void aMembersKeyIsReadOnlyByDefault() {
            Org org = Fixtures.org();
            JsonPath created = create(org.member());
            assertEquals("read", created.getString("capability"));
            assertEquals(org.memberId(), created.getString("created_by.id"));
        }

        @Test
        void aMemberAskingForReadWriteIs403ScopeInsufficient() {
            Org org = Fixtures.org();
            refused(bearer(org.member()).body("{\"name\":\"x\",\"capability\":\"read_write\"}").post("/v1/api-keys"),
                    403, "scope_insufficient");
        }

        @Test
        void aReadWriteKeyCreatesKeysAsBearerAsXApiKeyAndExchanged() {
            Org org = Fixtures.org();
            String[] admin = Fixtures.adminKey(org);
            JsonPath viaBearer = create(admin[1]);
            assertEquals("api_key", viaBearer.getString("created_by.type"));
            assertEquals(admin[0], viaBearer.getString("created_by.id"));
            JsonPath viaHeader = apiKey(admin[1]).body("{\"name\":\"h\"}").post("/v1/api-keys").then().statusCode(201)
                    .extract().jsonPath();
            Fixtures.PLAINTEXTS.add(viaHeader.getString("key"));
            String exchanged = Fixtures.exchanged(org.id(), admin[0], "read_write", Map.of("type", "organization"));
            JsonPath viaToken = create(exchanged);
            assertEquals(admin[0], viaToken.getString("created_by.id"));
        }

        @Test
        void theOrganizationsPrefixIsUsed() {
            Org org = Fixtures.org();
            bearer(org.owner()).body("{\"prefix\":\"m9m_sk\"}").put("/v1/api-keys/settings").then().statusCode(200);
            JsonPath created = create(org.owner());
            assertTrue(created.getString("key").startsWith("m9m_sk_"), created.getString("key"));
            assertEquals("m9m_sk", created.getString("prefix"));
            apiKey(created.getString("key")).get("/v1/api-keys").then().statusCode(200);
        }

        @Test
        void badInputIs400() {
            Org org = Fixtures.org();
            String[] bodies = { "{}", "{\"name\":\"  \"}", "{\"name\":\"" + "n".repeat(101) + "\"}",
                    "{\"name\":\"x\",\"capability\":\"admin\"}",
                    "{\"name\":\"x\",\"resource_scope\":{\"type\":\"galaxy\"}}",
                    "{\"name\":\"x\",\"resource_scope\":{\"type\":\"organization\",\"ids\":[\"p\"]}}",
                    "{\"name\":\"x\",\"resource_scope\":{\"type\":\"project\",\"ids\":[]}}",
                    "{\"name\":\"x\",\"rate_limit\":{\"per_minute\":0}}",
                    "{\"name\":\"x\",\"rate_limit\":{\"burst\":5}}",
                    "{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}",
                    "{\"name\":\"x\",\"scopes\":[\"internal:apikeys.verify\"]}",
                    "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}" };
            for (String body : bodies) {
                refused(bearer(org.owner()).body(body).post("/v1/api-keys"), 400, "validation_failed");
            }
            refused(bearer(org.owner()).body("{\"name\":").post("/v1/api-keys"), 400, "malformed_json");
        }

        @Test
        void withoutCredentialsIs401() {
            refused(given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/v1/api-keys"), 401,
                    "auth_required");
        }

        @Test
        void anUnknownOrMistypedKeyIs401InvalidApiKey() {
            String unknown = ApiKeyFormat.assemble("lk", dev.latchkey.common.crypto.Secrets.randomBase62(36));
            refused(apiKey(unknown).body("{\"name\":\"x\"}").post("/v1/api-keys"), 401, "invalid_api_key");
            Org org = Fixtures.org();
            String key = Fixtures.adminKey(org)[1];
            refused(apiKey(Fixtures.typo(key, 10)).body("{\"name\":\"x\"}").post("/v1/api-keys"), 401, "invalid_api_key");
        }

        @Test
        void aReadKeyIs403ScopeInsufficient() {
            Org org = Fixtures.org();
            String read = create(org.owner(), "{\"name\":\"r\",\"capability\":\"read\"}").getString("key");
            refused(apiKey(read).body("{\"name\":\"x\",\"capability\":\"read\"}").post("/v1/api-keys"), 403,
                    "scope_insufficient");
        }

        @Test
        void aProjectKeyAskingForAnotherProjectIs403ScopeInsufficient() {
            Org org = Fixtures.org();
            String projectP = create(org.owner(), "{\"name\":\"p\",\"resource_scope\":{\"type\":\"project\",\"ids\":[\"P\"]}}")
                    .getString("key");
            refused(apiKey(projectP).body("{\"name\":\"q\",\"resource_scope\":{\"type\":\"project\",\"ids\":[\"Q\"]}}")
                    .post("/v1/api-keys"), 403, "scope_insufficient");
        }

        @Test
        void aLimitedOrExpiringKeyMayNotMintALooserOne() {
            Org org = Fixtures.org();
            JsonPath limited = create(org.owner(), "{\"name\":\"l\",\"rate_limit\":{\"per_minute\":600,\"burst\":600}}");
            refused(apiKey(limited.getString("key")).body("{\"name\":\"x\",\"rate_limit\":{\"per_minute\":6000}}")
                    .post("/v1/api-keys"), 403, "scope_insufficient");
            JsonPath inherited = create(limited.getString("key"));
            assertEquals(600, inherited.getInt("rate_limit.per_minute"));

            String soon = OffsetDateTime.now().plusHours(1).toString();
            JsonPath expiring = create(org.owner(), "{\"name\":\"e\",\"expires_at\":\"" + soon + "\"}");
            refused(apiKey(expiring.getString("key"))
                    .body("{\"name\":\"x\",\"expires_at\":\"" + OffsetDateTime.now().plusDays(2) + "\"}")
                    .post("/v1/api-keys"), 403, "scope_insufficient");
            assertNotNull(create(expiring.getString("key")).getString("expires_at"), "inherits its creator's end");
        }

        @Test
        void aServiceTokenOrATokenWithoutARoleIs403AccessDenied() {
            refused(bearer(TestTokens.service("tenant-service", "internal:apikeys.create").sign())
                    .body("{\"name\":\"x\"}").post("/v1/api-keys"), 403, "access_denied");
            String roleless = TestTokens.access(UUID.randomUUID().toString()).user(UUID.randomUUID().toString(), "s")
                    .sign();
            refused(bearer(roleless).body("{\"name\":\"x\"}").post("/v1/api-keys"), 403, "access_denied");
        }

        @Test
        void aPendingAccountIs403AlphaPending() {
            String pending = TestTokens.access(UUID.randomUUID().toString()).user(UUID.randomUUID().toString(), "s")
                    .roles("owner").claim("pending", true).sign();
            refused(bearer(pending).body("{\"name\":\"x\"}").post("/v1/api-keys"), 403, "alpha_pending");
        }
    }

    @Nested
    class ListKeys {

        @Test
        void pagesNewestFirstWithACursorAndNeverShowSecrets() {
            Org org = Fixtures.org();
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                made.add(0, create(org.owner(), "{\"name\":\"k" + i + "\"}").getString("id"));
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = bearer(org.member()).queryParam("limit", 2);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                var response = request.get("/v1/api-keys");
                response.then().statusCode(200).body("data.key", everyItem(nullValue()));
                seen.addAll(response.jsonPath().getList("data.id"));
                cursor = response.jsonPath().getString("next_cursor");
                pages++;
            } while (cursor != null);
            assertEquals(made, seen);
            assertEquals(3, pages);
        }

        @Test
        void revokedKeysOnlyWhenAskedFor() {
            Org org = Fixtures.org();
            String revoked = create(org.owner()).getString("id");
            String kept = create(org.owner()).getString("id");
            bearer(org.owner()).delete("/v1/api-keys/" + revoked).then().statusCode(200);
            bearer(org.owner()).get("/v1/api-keys").then().statusCode(200).body("data.id", equalTo(List.of(kept)));
            bearer(org.owner()).queryParam("include_revoked", true).get("/v1/api-keys").then().statusCode(200)
                    .body("data.id", equalTo(List.of(kept, revoked)))
                    .body("data[1].status", equalTo("revoked"));
        }

        @Test
        void aReadKeyMayList() {
            Org org = Fixtures.org();
            String read = create(org.owner(), "{\"name\":\"r\",\"capability\":\"read\"}").getString("key");
            apiKey(read).get("/v1/api-keys").then().statusCode(200).body("data", hasSize(1));
        }

        @Test
        void badPagingIs400() {
            Org org = Fixtures.org();
            refused(bearer(org.owner()).queryParam("limit", 0).get("/v1/api-keys"), 400, "validation_failed");
            refused(bearer(org.owner()).queryParam("limit", 101).get("/v1/api-keys"), 400, "validation_failed");
            refused(bearer(org.owner()).queryParam("cursor", "not-a-cursor!").get("/v1/api-keys"), 400,
                    "validation_failed");
        }

        @Test
        void withoutCredentialsIs401() {
            refused(given().get("/v1/api-keys"), 401, "auth_required");
        }

        @Test
        void aProjectKeyIs403ScopeInsufficientAndAServiceIs403AccessDenied() {
            Org org = Fixtures.org();
            String scoped = create(org.owner(), "{\"name\":\"p\",\"resource_scope\":{\"type\":\"branch\",\"ids\":[\"main\"]}}")
                    .getString("key");
            refused(apiKey(scoped).get("/v1/api-keys"), 403, "scope_insufficient");
            refused(bearer(TestTokens.service("webhook-gateway", "internal:apikeys.verify").sign()).get("/v1/api-keys"),
                    403, "access_denied");
        }
    }

    @Nested
    class Get {

        @Test
        void returnsTheKeyWithoutItsSecret() {
            Org org = Fixtures.org();
            JsonPath created = create(org.owner());
            String body = bearer(org.member()).get("/v1/api-keys/" + created.getString("id")).then().statusCode(200)
                    .body("id", equalTo(created.getString("id")))
                    .body("start", equalTo(created.getString("start")))
                    .body("last_used_at", nullValue())
                    .extract().asString();
            assertFalse(body.contains(created.getString("key")));
        }

        @Test
        void unknownOrMalformedIdsAndOtherOrganizationsKeysAre404() {
            Org org = Fixtures.org();
            Org other = Fixtures.org();
            String theirs = create(other.owner()).getString("id");
            for (String id : List.of(UUID.randomUUID().toString(), "nope", theirs)) {
                refused(bearer(org.owner()).get("/v1/api-keys/" + id), 404, "not_found");
            }
        }

        @Test
        void withoutCredentialsIs401() {
            refused(given().get("/v1/api-keys/" + UUID.randomUUID()), 401, "auth_required");
        }

        @Test
        void aScopedKeyIs403ScopeInsufficient() {
            Org org = Fixtures.org();
            JsonPath scoped = create(org.owner(), "{\"name\":\"p\",\"resource_scope\":{\"type\":\"project\",\"ids\":[\"P\"]}}");
            refused(apiKey(scoped.getString("key")).get("/v1/api-keys/" + scoped.getString("id")), 403,
                    "scope_insufficient");
        }
    }

    @Nested
    class Rename {

        @Test
        void anAdminRenamesAnyKeyAndItIsAudited() {
            Org org = Fixtures.org();
            String id = create(org.member()).getString("id");
            bearer(org.admin()).body("{\"name\":\"renamed\"}").patch("/v1/api-keys/" + id)
                    .then().statusCode(200).body("name", equalTo("renamed"));
            bearer(org.owner()).get("/v1/api-keys/" + id).then().body("name", equalTo("renamed"));
            AuditTest.awaitEvent(org.id(), "api_key.renamed");
        }

        @Test
        void aMemberRenamesTheirOwnKeyButNotOthers() {
            Org org = Fixtures.org();
            String own = create(org.member()).getString("id");
            String others = create(org.owner()).getString("id");
            bearer(org.member()).body("{\"name\":\"mine\"}").patch("/v1/api-keys/" + own).then().statusCode(200);
            refused(bearer(org.member()).body("{\"name\":\"x\"}").patch("/v1/api-keys/" + others), 403, "access_denied");
            refused(bearer(org.person("member")).body("{\"name\":\"x\"}").patch("/v1/api-keys/" + own), 403,
                    "access_denied");
        }

        @Test
        void onlyTheNameChanges() {
            Org org = Fixtures.org();
            String id = create(org.owner()).getString("id");
            for (String body : List.of("{\"capability\":\"read\"}", "{\"name\":\"x\",\"expires_at\":null}",
                    "{\"name\":\"\"}", "{\"name\":7}", "{}", "[]")) {
                refused(bearer(org.owner()).body(body).patch("/v1/api-keys/" + id), 400, "validation_failed");
            }
        }

        @Test
        void aReadKeyIs403ScopeInsufficientWhateverTheId() {
            Org org = Fixtures.org();
            String read = create(org.owner(), "{\"name\":\"r\",\"capability\":\"read\"}").getString("key");
            refused(apiKey(read).body("{\"name\":\"x\"}").patch("/v1/api-keys/" + UUID.randomUUID()), 403,
                    "scope_insufficient");
        }

        @Test
        void otherOrganizationsKeysAre404AndWithoutCredentials401() {
            Org org = Fixtures.org();
            String theirs = create(Fixtures.org().owner()).getString("id");
            refused(bearer(org.owner()).body("{\"name\":\"x\"}").patch("/v1/api-keys/" + theirs), 404, "not_found");
            refused(given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").patch("/v1/api-keys/" + theirs), 401,
                    "auth_required");
        }
    }

    @Nested
    class Revoke {

        @Test
        void revokesAtOnceAndIsIdempotent() {
            Org org = Fixtures.org();
            JsonPath created = create(org.owner());
            String key = created.getString("key");
            apiKey(key).get("/v1/api-keys").then().statusCode(200);
            bearer(org.owner()).delete("/v1/api-keys/" + created.getString("id"))
                    .then().statusCode(200).body("status", equalTo("revoked")).body("revoked_at", notNullValue());
            refused(apiKey(key).get("/v1/api-keys"), 401, "api_key_revoked");
            String revokedAt = bearer(org.owner()).delete("/v1/api-keys/" + created.getString("id"))
                    .then().statusCode(200).extract().path("revoked_at");
            bearer(org.owner()).get("/v1/api-keys/" + created.getString("id")).then().body("revoked_at", equalTo(revokedAt));
            AuditTest.awaitEvent(org.id(), "api_key.revoked");
        }

        @Test
        void aKeyMayRevokeItself() {
            Org org = Fixtures.org();
            String[] admin = Fixtures.adminKey(org);
            apiKey(admin[1]).delete("/v1/api-keys/" + admin[0]).then().statusCode(200);
            refused(apiKey(admin[1]).get("/v1/api-keys"), 401, "api_key_revoked");
        }

        @Test
        void aReadKeyMayRevokeItselfButNoOtherKey() {
            Org org = Fixtures.org();
            JsonPath read = create(org.owner(), "{\"name\":\"cli\",\"capability\":\"read\"}");
            String other = create(org.owner()).getString("id");
            refused(apiKey(read.getString("key")).delete("/v1/api-keys/" + other), 403, "scope_insufficient");
            apiKey(read.getString("key")).delete("/v1/api-keys/" + read.getString("id")).then().statusCode(200)
                    .body("status", equalTo("revoked"));
            refused(apiKey(read.getString("key")).get("/v1/api-keys"), 401, "api_key_revoked");
            bearer(org.owner()).get("/v1/api-keys/" + other).then().statusCode(200).body("status", equalTo("active"));
        }

        @Test
        void tokensExchangedFromTheKeyAreRefusedToo() {
            Org org = Fixtures.org();
            String[] admin = Fixtures.adminKey(org);
            String token = Fixtures.exchanged(org.id(), admin[0], "read_write", Map.of("type", "organization"));
            bearer(token).get("/v1/api-keys").then().statusCode(200);
            bearer(org.owner()).delete("/v1/api-keys/" + admin[0]).then().statusCode(200);
            refused(bearer(token).get("/v1/api-keys"), 401, "api_key_revoked");
        }

        @Test
        void aMemberRevokesOnlyTheirOwnKeys() {
            Org org = Fixtures.org();
            String own = create(org.member()).getString("id");
            String others = create(org.admin()).getString("id");
            refused(bearer(org.member()).delete("/v1/api-keys/" + others), 403, "access_denied");
            bearer(org.member()).delete("/v1/api-keys/" + own).then().statusCode(200);
        }

        @Test
        void aReadKeyIs403AndUnknownIs404AndAnonymousIs401() {
            Org org = Fixtures.org();
            String read = create(org.owner(), "{\"name\":\"r\",\"capability\":\"read\"}").getString("key");
            refused(apiKey(read).delete("/v1/api-keys/" + UUID.randomUUID()), 403, "scope_insufficient");
            refused(bearer(org.owner()).delete("/v1/api-keys/" + UUID.randomUUID()), 404, "not_found");
            refused(given().delete("/v1/api-keys/" + UUID.randomUUID()), 401, "auth_required");
        }
    }

    @Nested
    class Rotate {

        @Test
        void theNewKeyHasTheSameSettingsAndTheOldOneStopsAtOnceByDefault() {
            Org org = Fixtures.org();
            JsonPath old = create(org.owner(), "{\"name\":\"ci\",\"capability\":\"read\",\"scopes\":[\"a:b\"],"
                    + "\"resource_scope\":{\"type\":\"project\",\"ids\":[\"P\"]},\"rate_limit\":{\"per_minute\":100}}");
            var response = bearer(org.owner()).post("/v1/api-keys/" + old.getString("id") + "/rotate");
            response.then().statusCode(201).header("Cache-Control", "no-store")
                    .body("name", equalTo("ci")).body("capability", equalTo("read"))
                    .body("resource_scope.ids", equalTo(List.of("P"))).body("rate_limit.per_minute", equalTo(100))
                    .body("scopes", equalTo(List.of("a:b"))).body("rotated_from", equalTo(old.getString("id")))
                    .body("created_by.id", equalTo(org.ownerId()));
            String fresh = response.jsonPath().getString("key");
            Fixtures.PLAINTEXTS.add(fresh);
            Fixtures.verifyStatus(old.getString("key"), "REVOKED");
            Fixtures.verifyStatus(fresh, "VALID");
            bearer(org.owner()).get("/v1/api-keys/" + old.getString("id")).then()
                    .body("rotated_to", equalTo(response.jsonPath().getString("id"))).body("status", equalTo("revoked"));
            AuditTest.awaitEvent(org.id(), "api_key.rotated");
        }

        @Test
        void theGraceIsHonouredThenTheOldKeyStops() throws Exception {
            Org org = Fixtures.org();
            JsonPath old = create(org.owner());
            Instant before = Instant.now();
            var response = bearer(org.owner()).body("{\"grace_period_seconds\":3}")
                    .post("/v1/api-keys/" + old.getString("id") + "/rotate");
            response.then().statusCode(201);
            Fixtures.PLAINTEXTS.add(response.jsonPath().getString("key"));
            Instant graceEnd = OffsetDateTime.parse(response.jsonPath().getString("previous_key_revoked_at")).toInstant();
            assertTrue(!graceEnd.isBefore(before.plusSeconds(3)) && graceEnd.isBefore(Instant.now().plusSeconds(4)));
            apiKey(old.getString("key")).get("/v1/api-keys").then().statusCode(200);
            bearer(org.owner()).get("/v1/api-keys/" + old.getString("id")).then().body("status", equalTo("rotating"));
            // Works throughout the grace: during() counts from the first success, so it stops short of the end.
            Awaitility.await().pollDelay(Duration.ZERO).during(Duration.between(Instant.now(), graceEnd.minusMillis(600)))
                    .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> apiKey(old.getString("key")).get("/v1/api-keys").then().statusCode(200));
            // The end of the grace is the behaviour under test: the old key stops right then, not eventually.
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), graceEnd).toMillis()) + 50);
            refused(apiKey(old.getString("key")).get("/v1/api-keys"), 401, "api_key_revoked");
            apiKey(response.jsonPath().getString("key")).get("/v1/api-keys").then().statusCode(200);
        }

        @Test
        void theGraceNeverOutlivesTheOldKeysExpiry() {
            Org org = Fixtures.org();
            OffsetDateTime expires = OffsetDateTime.now().plusMinutes(2).withNano(0);
            JsonPath old = create(org.owner(), "{\"name\":\"e\",\"expires_at\":\"" + expires + "\"}");
            var response = bearer(org.owner()).body("{\"grace_period_seconds\":3600}")
                    .post("/v1/api-keys/" + old.getString("id") + "/rotate");
            response.then().statusCode(201);
            Fixtures.PLAINTEXTS.add(response.jsonPath().getString("key"));
            assertEquals(expires.toInstant(),
                    OffsetDateTime.parse(response.jsonPath().getString("previous_key_revoked_at")).toInstant());
            assertEquals(expires.toInstant(), OffsetDateTime.parse(response.jsonPath().getString("expires_at")).toInstant());
        }

        @Test
        void aBadGraceIs400() {
            Org org = Fixtures.org();
            String id = create(org.owner()).getString("id");
            refused(bearer(org.owner()).body("{\"grace_period_seconds\":-1}").post("/v1/api-keys/" + id + "/rotate"),
                    400, "validation_failed");
            refused(bearer(org.owner()).body("{\"grace_period_seconds\":99999999}").post("/v1/api-keys/" + id + "/rotate"),
                    400, "validation_failed");
        }

        @Test
        void aRevokedOrAlreadyRotatedKeyIs409() {
            Org org = Fixtures.org();
            String revoked = create(org.owner()).getString("id");
            bearer(org.owner()).delete("/v1/api-keys/" + revoked).then().statusCode(200);
            refused(bearer(org.owner()).post("/v1/api-keys/" + revoked + "/rotate"), 409, "api_key_revoked");
            String rotated = create(org.owner()).getString("id");
            Fixtures.PLAINTEXTS.add(bearer(org.owner()).body("{\"grace_period_seconds\":60}")
                    .post("/v1/api-keys/" + rotated + "/rotate").then().statusCode(201).extract().path("key"));
            refused(bearer(org.owner()).post("/v1/api-keys/" + rotated + "/rotate"), 409, "api_key_already_rotated");
        }

        @Test
        void anExpiredKeyIs409() {
            Org org = Fixtures.org();
            String id = create(org.owner()).getString("id");
            pool.preparedQuery("update apikey.api_keys set expires_at = now() - interval '1 second' where id = $1")
                    .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
            refused(bearer(org.owner()).post("/v1/api-keys/" + id + "/rotate"), 409, "api_key_expired");
        }

        @Test
        void aLimitedKeyMayNotRotateAnUnlimitedOne() {
            Org org = Fixtures.org();
            String unlimited = create(org.owner()).getString("id");
            String limited = create(org.owner(), "{\"name\":\"l\",\"rate_limit\":{\"per_minute\":1000}}").getString("key");
            refused(apiKey(limited).post("/v1/api-keys/" + unlimited + "/rotate"), 403, "scope_insufficient");
        }

        @Test
        void aReadKeyIs403UnknownIs404AnonymousIs401() {
            Org org = Fixtures.org();
            String read = create(org.owner(), "{\"name\":\"r\",\"capability\":\"read\"}").getString("key");
            refused(apiKey(read).post("/v1/api-keys/" + UUID.randomUUID() + "/rotate"), 403, "scope_insufficient");
            refused(bearer(org.owner()).post("/v1/api-keys/" + UUID.randomUUID() + "/rotate"), 404, "not_found");
            refused(given().post("/v1/api-keys/" + UUID.randomUUID() + "/rotate"), 401, "auth_required");
        }

        @Test
        void aMemberRotatesTheirOwnReadKey() {
            Org org = Fixtures.org();
            String own = create(org.member()).getString("id");
            Fixtures.PLAINTEXTS.add(bearer(org.member()).post("/v1/api-keys/" + own + "/rotate").then().statusCode(201)
                    .body("capability", equalTo("read")).extract().path("key"));
        }
    }

    @Nested
    class Settings {

        @Test
        void theDefaultPrefixIsLkAndAnAdminChangesIt() {
            Org org = Fixtures.org();
            bearer(org.member()).get("/v1/api-keys/settings").then().statusCode(200).body("prefix", equalTo("lk"));
            String before = create(org.owner()).getString("key");
            bearer(org.admin()).body("{\"prefix\":\"mao_key\"}").put("/v1/api-keys/settings")
                    .then().statusCode(200).body("prefix", equalTo("mao_key"));
            bearer(org.member()).get("/v1/api-keys/settings").then().body("prefix", equalTo("mao_key"));
            apiKey(before).get("/v1/api-keys").then().statusCode(200);
            AuditTest.awaitEvent(org.id(), "api_key.settings_updated");
        }

        @Test
        void rotationIssuesTheNewKeyUnderTheCurrentPrefix() {
            Org org = Fixtures.org();
            String id = create(org.owner()).getString("id");
            bearer(org.owner()).body("{\"prefix\":\"cflo\"}").put("/v1/api-keys/settings").then().statusCode(200);
            String fresh = bearer(org.owner()).post("/v1/api-keys/" + id + "/rotate").then().statusCode(201)
                    .extract().path("key");
            Fixtures.PLAINTEXTS.add(fresh);
            assertTrue(fresh.startsWith("cflo_"), fresh);
        }

        @Test
        void anInvalidPrefixIs400() {
            Org org = Fixtures.org();
            for (String prefix : List.of("\"\"", "\"Upper\"", "\"9start\"", "\"has-dash\"", "\"" + "a".repeat(21) + "\"",
                    "null")) {
                refused(bearer(org.owner()).body("{\"prefix\":" + prefix + "}").put("/v1/api-keys/settings"), 400,
                        "validation_failed");
            }
        }

        @Test
        void aMemberIs403AccessDeniedAndAReadKey403ScopeInsufficient() {
            Org org = Fixtures.org();
            refused(bearer(org.member()).body("{\"prefix\":\"nsk\"}").put("/v1/api-keys/settings"), 403, "access_denied");
            String read = create(org.owner(), "{\"name\":\"r\",\"capability\":\"read\"}").getString("key");
            refused(apiKey(read).body("{\"prefix\":\"nsk\"}").put("/v1/api-keys/settings"), 403, "scope_insufficient");
            refused(given().get("/v1/api-keys/settings"), 401, "auth_required");
        }
    }

    @Test
    void thePlaintextNeverComesBackInAnyLaterResponse() {
        Org org = Fixtures.org();
        JsonPath created = create(org.owner());
        String key = created.getString("key");
        String id = created.getString("id");
        String random = key.substring(3, 39);
        Set<String> bodies = new HashSet<>();
        bodies.add(bearer(org.owner()).get("/v1/api-keys").asString());
        bodies.add(bearer(org.owner()).get("/v1/api-keys/" + id).asString());
        bodies.add(apiKey(key).get("/v1/api-keys/" + id).asString());
        bodies.add(bearer(org.owner()).body("{\"name\":\"n\"}").patch("/v1/api-keys/" + id).asString());
        var rotated = bearer(org.owner()).body("{\"grace_period_seconds\":30}").post("/v1/api-keys/" + id + "/rotate");
        Fixtures.PLAINTEXTS.add(rotated.jsonPath().getString("key"));
        bodies.add(rotated.asString().replace(rotated.jsonPath().getString("key"), ""));
        bodies.add(bearer(org.owner()).delete("/v1/api-keys/" + id).asString());
        bodies.add(bearer(org.owner()).queryParam("include_revoked", true).get("/v1/api-keys").asString());
        bodies.add(Fixtures.verifyWith(key).asString());
        for (String body : bodies) {
            assertFalse(body.contains(random), "a later response holds the key: " + body);
        }
    }

    @Test
    void openApiDocumentsTheEndpointsAndTheirCodes() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/api-keys'.post.responses.'201'", notNullValue())
                .body("paths.'/v1/api-keys/{id}/rotate'.post.responses.'409'.description",
                        containsString("api_key_already_rotated"))
                .body("paths.'/v1/api-keys/{id}'.delete.responses.'403'.description", containsString("scope_insufficient"))
                .body("paths.'/internal/v1/organizations/{organizationId}/keys/revoke'.post", notNullValue())
                .body("components.schemas.ApiKey.properties", not(hasKey("key")));
    }
}
