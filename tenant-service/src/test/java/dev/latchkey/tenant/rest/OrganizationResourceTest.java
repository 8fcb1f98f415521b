package dev.latchkey.tenant.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.TokenVerifier;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
@QuarkusTestResource(SmtpServer.class)
class OrganizationResourceTest {

    @Inject
    Pool pool;

    @Inject
    TokenVerifier verifier;

    @BeforeEach
    void services() {
        FakeServices.healthy();
    }

    /** Creates an organization through the API, as a user would; returns its id. */
    static String createOrganization(String name) {
        return given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/v1/tenants")
                .then().statusCode(201)
                .extract().path("organization.id");
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    @Nested
    class CreateTenant {

        @Test
        void returns201WithTheOrganizationAndItsKeyShownOnce() {
            String name = "acme-" + UUID.randomUUID();
            given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                    .when().post("/v1/tenants")
                    .then().statusCode(201)
                    .header("Location", containsString("/v1/organizations/"))
                    .header("Cache-Control", "no-store")
                    .body("organization.name", equalTo(name))
                    .body("organization.id", notNullValue())
                    .body("organization.slug", startsWith("acme-"))
                    .body("organization.personal", equalTo(false))
                    .body("api_key.key", startsWith("lk_"));
        }

        @Test
        void asksApiKeyServiceForTheKeyWithAServiceToken() {
            String id = createOrganization("svc-" + UUID.randomUUID());
            FakeLatchkey.Request create = FakeLatchkey.received().stream()
                    .filter(r -> r.path().equals("/internal/v1/keys")).reduce((a, b) -> b).orElseThrow();
            assertEquals(true, create.body().contains("\"tenant_id\":\"" + id + "\""));
            assertEquals(true, create.header("Authorization").startsWith("Bearer "));
        }

        @Test
        void blankNameIs400ValidationFailed() {
            given().contentType(ContentType.JSON).body("{\"name\":\"  \"}")
                    .when().post("/v1/tenants")
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", startsWith("'name'"));
        }

        @Test
        void missingBodyIs400() {
            given().contentType(ContentType.JSON)
                    .when().post("/v1/tenants")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void malformedJsonIs400MalformedJson() {
            given().contentType(ContentType.JSON).body("{\"name\": ")
                    .when().post("/v1/tenants")
                    .then().statusCode(400).body("code", equalTo("malformed_json"));
        }

        @Test
        void wrongTypeNamesTheField() {
            given().contentType(ContentType.JSON).body("{\"name\": {\"a\":1}}")
                    .when().post("/v1/tenants")
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", equalTo("Field 'name' has the wrong type"));
        }

        @Test
        void nonJsonBodyIs415() {
            given().contentType(ContentType.TEXT).body("name=x")
                    .when().post("/v1/tenants")
                    .then().statusCode(415).body("code", equalTo("unsupported_media_type"));
        }

        @Test
        void keyServiceDownIs503AndLeavesNoOrganizationBehind() {
            FakeServices.apiKeyServiceFailing();
            String name = "orphan-" + UUID.randomUUID();
            given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                    .when().post("/v1/tenants")
                    .then().statusCode(503).body("code", equalTo("dependency_unavailable"));
            long left = pool.preparedQuery("select count(*) from tenant.organizations where name = $1")
                    .execute(Tuple.of(name)).await().indefinitely().iterator().next().getLong(0);
            assertEquals(0, left);
        }
    }

    @Nested
    class GetOrganization {

        @Test
        void ownOrganizationIs200() {
            String name = "own-" + UUID.randomUUID();
            String id = createOrganization(name);
            given().header("Authorization", bearer(TestTokens.access(id, "organizations:read").sign()))
                    .when().get("/v1/organizations/" + id)
                    .then().statusCode(200).body("id", equalTo(id)).body("name", equalTo(name))
                    .body("slug", startsWith("own-")).body("personal", equalTo(false))
                    .body("created_at", notNullValue());
        }

        @Test
        void withoutTokenIs401AuthRequired() {
            String id = createOrganization("anon-" + UUID.randomUUID());
            given().when().get("/v1/organizations/" + id)
                    .then().statusCode(401).body("code", equalTo("auth_required"))
                    .header("WWW-Authenticate", "Bearer");
        }

        @Test
        void anotherOrganizationsTokenIs404LikeAnUnknownId() {
            String mine = createOrganization("mine-" + UUID.randomUUID());
            String theirs = createOrganization("theirs-" + UUID.randomUUID());
            String token = bearer(TestTokens.access(mine, "*").sign());
            String theirsBody = given().header("Authorization", token).when().get("/v1/organizations/" + theirs)
                    .then().statusCode(404).body("code", equalTo("not_found")).extract().path("message");
            String unknownBody = given().header("Authorization", token)
                    .when().get("/v1/organizations/" + UUID.randomUUID())
                    .then().statusCode(404).body("code", equalTo("not_found")).extract().path("message");
            assertEquals(unknownBody, theirsBody);
        }

        @Test
        void nonUuidIdIs404() {
            String mine = createOrganization("x-" + UUID.randomUUID());
            given().header("Authorization", bearer(TestTokens.access(mine, "*").sign()))
                    .when().get("/v1/organizations/not-a-uuid")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void rightOrganizationWithoutARoleIs403AccessDenied() {
            String id = createOrganization("noperm-" + UUID.randomUUID());
            String noRole = TestTokens.access(id).user(UUID.randomUUID().toString(), UUID.randomUUID().toString()).sign();
            given().header("Authorization", bearer(noRole))
                    .when().get("/v1/organizations/" + id)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void serviceTokenWithoutTenantIs404() {
            String id = createOrganization("svc-" + UUID.randomUUID());
            given().header("Authorization", bearer(TestTokens.service("someone", "*").sign()))
                    .when().get("/v1/organizations/" + id)
                    .then().statusCode(404);
        }
    }

    /** Forged and stale tokens: each must be refused with 401, never served from the verified-token cache. */
    @Nested
    class RejectedTokens {

        String id;
        String valid;

        @BeforeEach
        void organizationAndACachedValidToken() {
            id = createOrganization("attack-" + UUID.randomUUID());
            valid = TestTokens.access(id, "organizations:read").sign();
            given().header("Authorization", bearer(valid)).when().get("/v1/organizations/" + id).then().statusCode(200);
        }

        void refused(String token) {
            given().header("Authorization", bearer(token))
                    .when().get("/v1/organizations/" + id)
                    .then().statusCode(401).body("code", equalTo("auth_required"));
        }

        @Test
        void expired() {
            refused(TestTokens.access(id, "organizations:read").issued(Duration.ofMinutes(20), Duration.ofMinutes(15))
                    .sign());
        }

        @Test
        void tamperedClaimsOfACachedToken() {
            String other = createOrganization("victim-" + UUID.randomUUID());
            String forged = TestTokens.tampered(TestTokens.access(other, "organizations:read").sign(), id);
            refused(forged);
            // and the other way round: the cached token's signature does not cover a changed tenant
            given().header("Authorization", bearer(TestTokens.tampered(valid, other)))
                    .when().get("/v1/organizations/" + other)
                    .then().statusCode(401);
        }

        @Test
        void algNone() {
            refused(TestTokens.unsigned(valid));
        }

        @Test
        void signedByAKeyNotInTheJwks() {
            refused(TestTokens.access(id, "organizations:read").signedByRogueKey().sign());
        }

        @Test
        void unknownKidAfterARefetchAttempt() {
            refused(TestTokens.access(id, "organizations:read").kid("no-such-key").sign());
        }

        @Test
        void wrongIssuer() {
            refused(TestTokens.access(id, "organizations:read").issuer("https://evil.example").sign());
        }

        @Test
        void wrongAudience() {
            refused(TestTokens.access(id, "organizations:read").audience("someone-else").sign());
        }

        @Test
        void garbage() {
            refused("not.a.jwt");
        }

        @Test
        void aVerifiedTokenIsRememberedAndAForgedOneIsNot() {
            assertNotNull(verifier.remembered(valid), "verified once, then served from memory");
            String forged = TestTokens.access(id, "organizations:read").signedByRogueKey().sign();
            refused(forged);
            assertNull(verifier.remembered(forged));
        }

        @Test
        void aCachedTokenStopsWorkingWhenItExpires() {
            String shortLived = TestTokens.access(id, "organizations:read").issued(Duration.ZERO, Duration.ofSeconds(2))
                    .sign();
            given().header("Authorization", bearer(shortLived)).when().get("/v1/organizations/" + id)
                    .then().statusCode(200);
            given().header("Authorization", bearer(shortLived)).when().get("/v1/organizations/" + id)
                    .then().statusCode(200);
            // exp is 2 s after issue, the verifiers' clock skew 1 s in tests: refused from 3 s on
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> refused(shortLived));
        }
    }
}
