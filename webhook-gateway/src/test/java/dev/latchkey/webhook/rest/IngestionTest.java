package dev.latchkey.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.webhook.testing.Org;
import dev.latchkey.webhook.testing.Senders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class IngestionTest {

    static final String SCHEMES = "github,stripe,standard,svix,generic";

    @AfterEach
    void reset() {
        FakeLatchkey.reset();
    }

    /** A provider of the scheme in a fresh organization; generic ones without the API-key requirement here. */
    record Endpoint(Org org, String scheme, String path, String secret, String providerId) {
        static Endpoint of(String scheme) {
            Org org = new Org();
            JsonPath created = org.provider(scheme.equals("generic")
                    ? Map.of("name", "p", "scheme", scheme, "require_api_key", false)
                    : Map.of("name", "p", "scheme", scheme));
            return new Endpoint(org, scheme, org.path("p"), created.getString("secret"), created.getString("id"));
        }

        Response send(Map<String, String> headers, String body) {
            return given().headers(headers).contentType("application/json").body(body).when().post(path);
        }

        Response sendSigned(String id) {
            String body = Senders.body(scheme, id);
            return send(Senders.sign(scheme, secret, body, Senders.now(), id), body);
        }

        int stored() {
            return org.events("provider=p&limit=100").getList("data").size();
        }
    }

    @Nested
    class Accepted200 {

        @ParameterizedTest
        @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
        void aValidDeliveryIsStoredWithItsIdTypeHeadersAndExactBody(String scheme) {
            Endpoint endpoint = Endpoint.of(scheme);
            String body = Senders.body(scheme, "evt_" + scheme);
            Map<String, String> headers = Senders.sign(scheme, endpoint.secret(), body, Senders.now(), "evt_" + scheme);
            String id = endpoint.send(headers, body).then().statusCode(200).body("duplicate", equalTo(false))
                    .body("id", notNullValue()).extract().path("id");
            JsonPath event = given().auth().oauth2(endpoint.org().owner).when().get("/v1/webhook-events/" + id)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("evt_" + scheme, event.getString("delivery_id"));
            assertEquals(body, event.getString("body"));
            assertEquals("p", event.getString("provider"));
            assertEquals(Map.of("github", "push", "stripe", "payment_intent.succeeded", "standard", "user.created",
                    "svix", "user.created").get(scheme), event.getString("type"));
            assertEquals("application/json", event.getString("headers.content-type"));
            assertFalse(event.getMap("headers").containsKey("authorization"));
        }

        @Test
        void theRawBytesAreVerifiedAndKeptNotReserialisedJson() throws Exception {
            Endpoint endpoint = Endpoint.of("github");
            byte[] body = { '{', ' ', '"', 'a', '"', ':', '1', ' ', ' ', '}', '\n', (byte) 0xff, (byte) 0xfe };
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(endpoint.secret().getBytes(), "HmacSHA256"));
            String signature = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
            String id = given().header("X-Hub-Signature-256", signature).header("X-GitHub-Delivery", "raw-1")
                    .contentType("application/octet-stream").body(body)
                    .when().post(endpoint.path()).then().statusCode(200).extract().path("id");
            JsonPath event = given().auth().oauth2(endpoint.org().owner).when().get("/v1/webhook-events/" + id)
                    .then().statusCode(200).body("body", nullValue()).extract().jsonPath();
            assertArrayEquals(body, Base64.getDecoder().decode(event.getString("body_base64")));
        }

        @Test
        void causeFlowsSignatureHeaderIsAcceptedOnGithubProviders() throws Exception {
            Endpoint endpoint = Endpoint.of("github");
            String body = "{\"alert\":\"cpu\"}";
            given().header("X-Webhook-Signature", "sha256=" + Senders.hmacHex(endpoint.secret(), body))
                    .contentType("application/json").body(body)
                    .when().post(endpoint.path()).then().statusCode(200).body("duplicate", equalTo(false));
        }

        @Test
        void pisamasN8nHeadersWorkOnAGenericProvider() throws Exception {
            Org org = new Org();
            String secret = org.provider(Map.of("name", "n8n", "scheme", "generic", "require_api_key", false, "headers",
                    Map.of("signature", "X-MAO-Signature", "timestamp", "X-MAO-Timestamp", "nonce", "X-MAO-Nonce")))
                    .getString("secret");
            String body = "{\"executionId\":\"123\"}";
            long t = Senders.now();
            given().header("X-MAO-Signature", Senders.hmacHex(secret, t + ".nonce-1." + body))
                    .header("X-MAO-Timestamp", String.valueOf(t)).header("X-MAO-Nonce", "nonce-1")
                    .contentType("application/json").body(body)
                    .when().post(org.path("n8n")).then().statusCode(200);
        }
    }

    @Nested
    class Rotation {

        @ParameterizedTest
        @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
        void oldAndNewSecretsBothWorkUntilTheOldExpires(String scheme) {
            Endpoint endpoint = Endpoint.of(scheme);
            String fresh = given().auth().oauth2(endpoint.org().owner).contentType("application/json")
                    .body(Map.of("previous_expires_at", OffsetDateTime.now().plusHours(1).toString()))
                    .when().post("/v1/webhook-providers/" + endpoint.providerId() + "/secrets")
                    .then().statusCode(200).extract().path("secret");
            String bodyOld = Senders.body(scheme, "old-1");
            endpoint.send(Senders.sign(scheme, endpoint.secret(), bodyOld, Senders.now(), "old-1"), bodyOld)
                    .then().statusCode(200);
            String bodyNew = Senders.body(scheme, "new-1");
            endpoint.send(Senders.sign(scheme, fresh, bodyNew, Senders.now(), "new-1"), bodyNew).then().statusCode(200);

            // End the old secret now: only the new one is accepted from then on.
            given().auth().oauth2(endpoint.org().owner).contentType("application/json")
                    .body(Map.of("previous_expires_at", OffsetDateTime.now().minusSeconds(1).toString()))
                    .when().post("/v1/webhook-providers/" + endpoint.providerId() + "/secrets").then().statusCode(200);
            String bodyLate = Senders.body(scheme, "old-2");
            endpoint.send(Senders.sign(scheme, endpoint.secret(), bodyLate, Senders.now(), "old-2"), bodyLate)
                    .then().statusCode(401).body("code", equalTo("invalid_signature"));
            assertEquals(2, endpoint.stored());
        }
    }

    @Nested
    class Refused {

        @ParameterizedTest
        @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
        void aTamperedBodyIs401AndNothingIsStored(String scheme) {
            Endpoint endpoint = Endpoint.of(scheme);
            String body = Senders.body(scheme, "evt_1");
            Map<String, String> headers = Senders.sign(scheme, endpoint.secret(), body, Senders.now(), "evt_1");
            endpoint.send(headers, body.replace("evt_1", "evt_2")).then().statusCode(401)
                    .body("code", equalTo("invalid_signature")).body("request_id", notNullValue());
            assertEquals(0, endpoint.stored());
        }

        @ParameterizedTest
        @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
        void anotherSecretIs401(String scheme) {
            Endpoint endpoint = Endpoint.of(scheme);
            Endpoint other = Endpoint.of(scheme);
            String body = Senders.body(scheme, "evt_1");
            endpoint.send(Senders.sign(scheme, other.secret(), body, Senders.now(), "evt_1"), body)
                    .then().statusCode(401).body("code", equalTo("invalid_signature"));
            assertEquals(0, endpoint.stored());
        }

        @ParameterizedTest
        @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
        void missingAndMalformedHeadersAre400(String scheme) {
            Endpoint endpoint = Endpoint.of(scheme);
            String body = Senders.body(scheme, "evt_1");
            endpoint.send(Map.of(), body).then().statusCode(400).body("code", equalTo("missing_header"));
            Map<String, String> headers = new HashMap<>(Senders.sign(scheme, endpoint.secret(), body, Senders.now(), "e"));
            headers.replaceAll((name, value) -> name.toLowerCase().contains("signature") ? "garbage" : value);
            endpoint.send(headers, body).then().statusCode(400).body("code", equalTo("malformed_header"));
            assertEquals(0, endpoint.stored());
        }

        /**
         * A captured generic delivery resent with part of its body moved into the nonce carries the same signed
         * bytes under a new nonce: it must be refused, not stored as a second, truncated event.
         */
        @Test
        void aGenericNonceHoldingADotIs400AndTheMovedDeliveryIsNotStored() {
            Endpoint endpoint = Endpoint.of("generic");
            String body = "{\"type\":\"payment_intent.succeeded\",\"amount\":1000}";
            Map<String, String> captured = Senders.sign("generic", endpoint.secret(), body, Senders.now(), "n-1");
            endpoint.send(captured, body).then().statusCode(200).body("duplicate", equalTo(false));

            Map<String, String> forged = new HashMap<>(captured);
            forged.put("X-Nonce", "n-1.{\"type\":\"payment_intent");
            endpoint.send(forged, "succeeded\",\"amount\":1000}").then().statusCode(400)
                    .body("code", equalTo("malformed_header")).body("message", org.hamcrest.Matchers.containsString("X-Nonce"));
            assertEquals(1, endpoint.stored());
            assertEquals(body, endpoint.org().events("provider=p").getString("data[0].body"));

            // A sender's own dotted nonce is refused alike: nothing else can keep the boundary in one place.
            endpoint.send(Senders.sign("generic", endpoint.secret(), "rest", Senders.now(), "abc.x"), "rest")
                    .then().statusCode(400).body("code", equalTo("malformed_header"));
            assertEquals(1, endpoint.stored());
        }

        @ParameterizedTest
        @ValueSource(strings = { "stripe", "standard", "svix", "generic" })
        void timestampsTooOldOrTooFarInTheFutureAre401(String scheme) {
            Endpoint endpoint = Endpoint.of(scheme);
            // 10 s outside the 300 s window: a second ticking between signing and checking must not decide it.
            for (long offset : new long[] { -310, 310, -3600 }) {
                String body = Senders.body(scheme, "evt_" + offset);
                endpoint.send(Senders.sign(scheme, endpoint.secret(), body, Senders.now() + offset, "evt_" + offset), body)
                        .then().statusCode(401).body("code", equalTo("timestamp_out_of_window"));
            }
            String body = Senders.body(scheme, "evt_ok");
            endpoint.send(Senders.sign(scheme, endpoint.secret(), body, Senders.now() - 250, "evt_ok"), body)
                    .then().statusCode(200);
            assertEquals(1, endpoint.stored());
        }

        @Test
        void unknownOrganizationsAndProvidersAreTheSame404() {
            Endpoint endpoint = Endpoint.of("github");
            String a = given().body("{}").when().post("/v1/webhooks/" + new Org().id + "/p")
                    .then().statusCode(404).body("code", equalTo("not_found")).extract().path("message");
            String b = given().body("{}").when().post("/v1/webhooks/" + endpoint.org().id + "/nope")
                    .then().statusCode(404).body("code", equalTo("not_found")).extract().path("message");
            String c = given().body("{}").when().post("/v1/webhooks/not-a-uuid/p").then().statusCode(404).extract().path("message");
            assertEquals(a, b);
            assertEquals(a, c);
        }

        @Test
        void anOversizedBodyIs413BeforeAnythingElse() {
            Endpoint endpoint = Endpoint.of("github");
            byte[] big = new byte[1024 * 1024 + 1];
            given().contentType("application/json").body(big).when().post(endpoint.path())
                    .then().statusCode(413).body("code", equalTo("payload_too_large"));
            // Even to an address with no provider: the size is checked first.
            given().contentType("application/json").body(big).when().post("/v1/webhooks/" + new Org().id + "/x")
                    .then().statusCode(413);
            assertEquals(0, endpoint.stored());
        }

        @Test
        void aRejectedBodyIsNeverLogged() {
            List<String> logged = new ArrayList<>();
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters())
                            + " " + (record.getThrown() == null ? "" : record.getThrown().toString()));
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger root = Logger.getLogger("");
            root.addHandler(capture);
            try {
                for (String scheme : SCHEMES.split(",")) {
                    Endpoint endpoint = Endpoint.of(scheme);
                    String body = "{\"card\":\"4242-SECRET-MARKER-" + scheme + "\"}";
                    endpoint.send(Senders.sign(scheme, "whsec_" + "x".repeat(40), body, Senders.now(), "m1"), body)
                            .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(401)));
                    endpoint.send(Map.of(), body).then().statusCode(400);
                }
            } finally {
                root.removeHandler(capture);
            }
            assertTrue(logged.stream().noneMatch(line -> line.contains("SECRET-MARKER")), String.join("\n", logged));
        }
    }

    @Nested
    class Replays {

        @ParameterizedTest
        @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
        void aResentDeliveryIsA200DuplicateAndStoredOnce(String scheme) {
            Endpoint endpoint = Endpoint.of(scheme);
            String body = Senders.body(scheme, "evt_r");
            Map<String, String> headers = Senders.sign(scheme, endpoint.secret(), body, Senders.now(), "evt_r");
            endpoint.send(headers, body).then().statusCode(200).body("duplicate", equalTo(false));
            endpoint.send(headers, body).then().statusCode(200).body("duplicate", equalTo(true)).body("id", nullValue());
            // A retry signed anew (a later attempt of the same event) is the same delivery too.
            endpoint.send(Senders.sign(scheme, endpoint.secret(), body, Senders.now() + 1, "evt_r"), body)
                    .then().statusCode(200).body("duplicate", equalTo(true));
            assertEquals(1, endpoint.stored());
        }

        @Test
        void aReusedGenericNonceWithAnotherBodyIs401Replayed() {
            Endpoint endpoint = Endpoint.of("generic");
            long t = Senders.now();
            endpoint.send(Senders.sign("generic", endpoint.secret(), "{\"amount\":1}", t, "nonce-7"), "{\"amount\":1}")
                    .then().statusCode(200);
            endpoint.send(Senders.sign("generic", endpoint.secret(), "{\"amount\":1000}", t, "nonce-7"), "{\"amount\":1000}")
                    .then().statusCode(401).body("code", equalTo("replayed"));
            assertEquals(1, endpoint.stored());
            assertEquals("{\"amount\":1}", endpoint.org().events("").getString("data[0].body"));
        }

        @ParameterizedTest
        @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
        void concurrentIdenticalDeliveriesAreStoredExactlyOnce(String scheme) throws Exception {
            Endpoint endpoint = Endpoint.of(scheme);
            String body = Senders.body(scheme, "evt_race");
            Map<String, String> headers = Senders.sign(scheme, endpoint.secret(), body, Senders.now(), "evt_race");
            RequestSpecification spec = given().headers(headers).contentType("application/json").body(body);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Response>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(() -> given().spec(spec).when().post(endpoint.path()));
                }
                int fresh = 0;
                for (Future<Response> result : pool.invokeAll(calls)) {
                    Response response = result.get();
                    assertEquals(200, response.statusCode(), response.asString());
                    fresh += response.jsonPath().getBoolean("duplicate") ? 0 : 1;
                }
                assertEquals(1, fresh);
            } finally {
                pool.shutdown();
            }
            assertEquals(1, endpoint.stored());
        }
    }

    @Nested
    class ApiKeys {

        @Test
        void genericProvidersRequireTheOrganizationsApiKeyByDefault() {
            Org org = new Org();
            String secret = org.provider("n8n", "generic").getString("secret");
            String otherOrgKey = Org.newKey();
            String good = Org.newKey();
            Org.apiKeysOf(Map.of(good, org.id, otherOrgKey, new Org().id));
            String body = "{\"executionId\":\"1\"}";

            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-1")).body(body)
                    .when().post(org.path("n8n")).then().statusCode(401).body("code", equalTo("invalid_api_key"));
            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-2")).header("X-API-Key", Org.newKey())
                    .body(body).when().post(org.path("n8n")).then().statusCode(401).body("code", equalTo("invalid_api_key"));
            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-3")).header("X-API-Key", otherOrgKey)
                    .body(body).when().post(org.path("n8n")).then().statusCode(401).body("code", equalTo("invalid_api_key"));

            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-4")).header("X-API-Key", good)
                    .body(body).when().post(org.path("n8n")).then().statusCode(200);
            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-5")).header("X-MAO-API-Key", good)
                    .body(body).when().post(org.path("n8n")).then().statusCode(200);
            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-6"))
                    .header("Authorization", "Bearer " + good).body(body).when().post(org.path("n8n")).then().statusCode(200);
            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-7")).queryParam("apiKey", good)
                    .body(body).when().post(org.path("n8n")).then().statusCode(200);
            // A valid key does not excuse a bad signature.
            given().headers(Senders.sign("generic", "y".repeat(43), body, Senders.now(), "k-8")).header("X-API-Key", good)
                    .body(body).when().post(org.path("n8n")).then().statusCode(401).body("code", equalTo("invalid_signature"));
            assertEquals(4, org.events("").getList("data").size());
        }

        @Test
        void whenKeysCannotBeVerifiedTheDeliveryIs503() {
            Org org = new Org();
            String secret = org.provider("n8n", "generic").getString("secret");
            FakeLatchkey.on("POST", "/internal/v1/keys/verify", r -> new FakeLatchkey.Response(500, "{}"));
            String body = "{}";
            given().headers(Senders.sign("generic", secret, body, Senders.now(), "k-1")).header("X-API-Key", Org.newKey())
                    .body(body).when().post(org.path("n8n")).then().statusCode(503).body("code", equalTo("dependency_unavailable"));
            assertEquals(0, org.events("").getList("data").size());
        }
    }

    @Nested
    class Metrics {

        @Test
        void rejectionsAreCountedPerReasonAndProvider() {
            Org org = new Org();
            String secret = org.provider("metered", "github").getString("secret");
            double before = count("invalid_signature", "metered");
            double missingBefore = count("missing_header", "metered");
            for (int i = 0; i < 3; i++) {
                given().header("X-Hub-Signature-256", "sha256=" + "0".repeat(64)).body("{}")
                        .when().post(org.path("metered")).then().statusCode(401);
            }
            given().body("{}").when().post(org.path("metered")).then().statusCode(400);
            given().headers(Senders.sign("github", secret, "{}")).body("{}").when().post(org.path("metered")).then().statusCode(200);
            assertEquals(before + 3, count("invalid_signature", "metered"));
            assertEquals(missingBefore + 1, count("missing_header", "metered"));
        }

        double count(String reason, String provider) {
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("latchkey_webhook_rejections_total{") && line.contains("reason=\"" + reason + "\"")
                        && line.contains("provider=\"" + provider + "\"")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return 0;
        }
    }
}
