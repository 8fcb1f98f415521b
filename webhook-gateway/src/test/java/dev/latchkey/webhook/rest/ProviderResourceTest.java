package dev.latchkey.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.SecretBox;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import dev.latchkey.webhook.testing.Org;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class ProviderResourceTest {

    static final String DEV_KEK = "ZGV2LW9ubHkta2VrLWRvLW5vdC11c2UtaW4tcHJvZCE=";

    @Inject
    Pool pool;

    @Nested
    class Create201 {

        @Test
        void eachSchemeGetsAGeneratedSecretInItsOwnFormatShownOnce() {
            Org org = new Org();
            for (String scheme : List.of("github", "stripe", "standard", "svix", "generic")) {
                JsonPath created = org.provider("p-" + scheme, scheme);
                String secret = created.getString("secret");
                assertEquals(scheme.equals("github") || scheme.equals("generic"), !secret.startsWith("whsec_"), scheme);
                assertEquals("/v1/webhooks/" + org.id + "/p-" + scheme, created.getString("ingestion_path"));
                assertEquals(scheme.equals("generic"), created.getBoolean("require_api_key"), scheme);
                assertEquals(1, created.getList("secrets").size());
                given().auth().oauth2(org.owner).when().get("/v1/webhook-providers/" + created.getString("id"))
                        .then().statusCode(200).body("secret", nullValue()).body("scheme", equalTo(scheme))
                        .body("secrets", hasSize(1)).body("secrets[0].expires_at", nullValue());
            }
            String listed = given().auth().oauth2(org.admin).when().get("/v1/webhook-providers")
                    .then().statusCode(200).body("data", hasSize(5)).body("data.name[0]", equalTo("p-generic"))
                    .extract().asString();
            assertFalse(listed.contains("\"secret\""), listed);
            assertFalse(listed.contains("whsec_"), listed);
        }

        @Test
        void theProvidersOwnSecretIsAcceptedAndGenericHeadersAreConfigurable() {
            Org org = new Org();
            JsonPath github = org.provider(Map.of("name", "gh", "scheme", "github", "secret", "It's a Secret to Everybody"));
            assertEquals("It's a Secret to Everybody", github.getString("secret"));
            JsonPath n8n = org.provider(Map.of("name", "n8n", "scheme", "generic", "require_api_key", false,
                    "headers", Map.of("signature", "X-MAO-Signature", "timestamp", "X-MAO-Timestamp", "nonce", "X-MAO-Nonce")));
            assertEquals("X-MAO-Nonce", n8n.getString("headers.nonce"));
            assertFalse(n8n.getBoolean("require_api_key"));
        }

        @Test
        void secretsAreSealedAtRestBoundToTheirRow() {
            Org org = new Org();
            JsonPath created = org.provider(Map.of("name", "stripe", "scheme", "stripe", "secret", "whsec_abcdefghijklmnopqrstuvwxyz012345"));
            UUID providerId = UUID.fromString(created.getString("id"));
            Row row = pool.preparedQuery("select id, sealed from webhook.provider_secrets where provider_id = $1")
                    .execute(Tuple.of(providerId)).await().indefinitely().iterator().next();
            byte[] sealed = row.getBuffer("sealed").getBytes();
            assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("abcdefghijklmnop"));
            SecretBox box = SecretBox.fromBase64(DEV_KEK);
            UUID secretId = row.getUUID("id");
            assertArrayEquals("whsec_abcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.UTF_8),
                    box.open(sealed, "webhook-secret/" + providerId + "/" + secretId));
            assertThrows(SecretBox.SealedValueException.class,
                    () -> box.open(sealed, "webhook-secret/" + UUID.randomUUID() + "/" + secretId));
        }

        @Test
        void anApiKeyTokenOfTheOrganizationMayManageItsProviders() {
            Org org = new Org();
            given().auth().oauth2(org.apiKeyToken).contentType(ContentType.JSON)
                    .body(Map.of("name", "a", "scheme", "svix")).when().post("/v1/webhook-providers")
                    .then().statusCode(201).body("secret", startsWith("whsec_"));
        }
    }

    @Nested
    class Rotate200 {

        @Test
        void rotationAddsASecretAndGivesTheOldOnesAnExpiry() {
            Org org = new Org();
            String id = org.provider("gh", "github").getString("id");
            OffsetDateTime at = OffsetDateTime.now().plusHours(2);
            JsonPath rotated = given().auth().oauth2(org.owner).contentType(ContentType.JSON)
                    .body(Map.of("previous_expires_at", at.toString()))
                    .when().post("/v1/webhook-providers/" + id + "/secrets")
                    .then().statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
            assertNotEquals(null, rotated.getString("secret"));
            assertEquals(2, rotated.getList("secrets").size());
            assertEquals(at.toInstant().getEpochSecond(),
                    OffsetDateTime.parse(rotated.getString("secrets[0].expires_at")).toInstant().getEpochSecond());
            assertNull(rotated.get("secrets[1].expires_at"));
        }

        @Test
        void withoutABodyTheOldSecretStaysValidForADay() {
            Org org = new Org();
            String id = org.provider("st", "standard").getString("id");
            JsonPath rotated = given().auth().oauth2(org.owner)
                    .when().post("/v1/webhook-providers/" + id + "/secrets")
                    .then().statusCode(200).body("secret", startsWith("whsec_")).extract().jsonPath();
            long expires = OffsetDateTime.parse(rotated.getString("secrets[0].expires_at")).toEpochSecond();
            long inADay = OffsetDateTime.now().plusDays(1).toEpochSecond();
            assertTrue(Math.abs(expires - inADay) < 60);
        }
    }

    @Nested
    class Status400 {

        @Test
        void invalidProvidersAreRefusedWithTheField() {
            Org org = new Org();
            for (Map<String, Object> body : List.<Map<String, Object>>of(
                    Map.of("name", "Has Spaces", "scheme", "github"),
                    Map.of("name", "ok", "scheme", "sendgrid"),
                    Map.of("name", "ok", "scheme", "standard", "secret", "whsec_%%%"),
                    Map.of("name", "ok", "scheme", "github", "secret", "short"),
                    Map.of("name", "ok", "scheme", "github", "headers", Map.of("signature", "X-Sig")),
                    Map.of("name", "ok", "scheme", "generic", "headers", Map.of("signature", "Authorization")),
                    Map.of("name", "ok", "scheme", "generic", "headers", Map.of("signature", "X-A", "nonce", "X-A")))) {
                given().auth().oauth2(org.owner).contentType(ContentType.JSON).body(body)
                        .when().post("/v1/webhook-providers")
                        .then().statusCode(400).body("code", equalTo("validation_failed"))
                        .body("message", notNullValue());
            }
            given().auth().oauth2(org.owner).contentType(ContentType.JSON).body("{\"name\":")
                    .when().post("/v1/webhook-providers").then().statusCode(400).body("code", equalTo("malformed_json"));
        }

        @Test
        void aSuppliedSecretIsNeverEchoedInTheError() {
            Org org = new Org();
            given().auth().oauth2(org.owner).contentType(ContentType.JSON)
                    .body(Map.of("name", "s", "scheme", "stripe", "secret", "sk_live_thisIsNotAWebhookSecret"))
                    .when().post("/v1/webhook-providers")
                    .then().statusCode(400).body("message", not(containsString("thisIsNot")));
        }
    }

    @Nested
    class Status401And403 {

        @Test
        void withoutATokenIs401() {
            given().when().get("/v1/webhook-providers").then().statusCode(401).body("code", equalTo("auth_required"));
            given().contentType(ContentType.JSON).body(Map.of("name", "a", "scheme", "github"))
                    .when().post("/v1/webhook-providers").then().statusCode(401);
            given().auth().oauth2(TestTokens.access(UUID.randomUUID().toString()).signedByRogueKey().sign())
                    .when().get("/v1/webhook-providers").then().statusCode(401);
        }

        @Test
        void membersAndServicesMayNotManageWebhooks() {
            Org org = new Org();
            given().auth().oauth2(org.member).when().get("/v1/webhook-providers")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            given().auth().oauth2(org.member).contentType(ContentType.JSON).body(Map.of("name", "a", "scheme", "github"))
                    .when().post("/v1/webhook-providers").then().statusCode(403);
            given().auth().oauth2(TestTokens.service("tenant-service", "internal:apikeys.create").sign())
                    .when().get("/v1/webhook-providers").then().statusCode(403).body("code", equalTo("access_denied"));
        }
    }

    @Nested
    class Status404 {

        @Test
        void anotherOrganizationsProviderDoesNotExistForYou() {
            Org mine = new Org();
            Org theirs = new Org();
            String id = theirs.provider("gh", "github").getString("id");
            given().auth().oauth2(mine.owner).when().get("/v1/webhook-providers/" + id)
                    .then().statusCode(404).body("code", equalTo("not_found"));
            given().auth().oauth2(mine.owner).when().delete("/v1/webhook-providers/" + id).then().statusCode(404);
            given().auth().oauth2(mine.owner).when().post("/v1/webhook-providers/" + id + "/secrets").then().statusCode(404);
            given().auth().oauth2(mine.owner).when().get("/v1/webhook-providers/not-a-uuid").then().statusCode(404);
            given().auth().oauth2(theirs.owner).when().get("/v1/webhook-providers/" + id).then().statusCode(200);
        }

        @Test
        void aDeletedProviderIsGoneAndItsUrlAnswers404() {
            Org org = new Org();
            String id = org.provider("gh", "github").getString("id");
            given().auth().oauth2(org.owner).when().delete("/v1/webhook-providers/" + id).then().statusCode(204);
            given().auth().oauth2(org.owner).when().get("/v1/webhook-providers/" + id).then().statusCode(404);
            given().body("{}").when().post(org.path("gh")).then().statusCode(404).body("code", equalTo("not_found"));
        }
    }

    @Nested
    class Status409 {

        @Test
        void namesAreUniqueInAnOrganizationOnly() {
            Org org = new Org();
            org.provider("stripe", "stripe");
            given().auth().oauth2(org.owner).contentType(ContentType.JSON).body(Map.of("name", "stripe", "scheme", "github"))
                    .when().post("/v1/webhook-providers").then().statusCode(409).body("code", equalTo("conflict"));
            new Org().provider("stripe", "stripe");
        }
    }
}
