package dev.latchkey.e2e.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Two gateway replicas on one database and one Redis: what one accepts, the other knows. */
class WebhookReplicasTest {

    static Gateways gateways;
    static final String A = Gateways.url(0);
    static final String B = Gateways.url(1);

    @BeforeAll
    static void start() throws Exception {
        gateways = Gateways.onTheE2eDatabase();
        gateways.start(2);
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.stop();
        }
    }

    static JsonPath createProvider(String base, String owner, String name, String scheme) {
        Map<String, Object> body = scheme.equals("generic")
                ? Map.of("name", name, "scheme", scheme, "require_api_key", false) : Map.of("name", name, "scheme", scheme);
        return given().auth().oauth2(owner).contentType(ContentType.JSON).body(body)
                .when().post(base + "/v1/webhook-providers").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void aStreamOnOneReplicaReceivesWhatTheOtherAccepted() throws Exception {
        String org = UUID.randomUUID().toString();
        String owner = Deliveries.ownerToken(org);
        Map<String, String> secrets = new java.util.LinkedHashMap<>();
        for (String scheme : List.of("github", "stripe", "standard", "svix", "generic")) {
            secrets.put(scheme, createProvider(A, owner, scheme, scheme).getString("secret"));
        }
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpURLConnection stream = (HttpURLConnection) URI.create(A + "/v1/webhook-events/stream").toURL().openConnection();
        stream.setRequestProperty("Authorization", "Bearer " + owner);
        stream.setRequestProperty("Accept", "text/event-stream");
        stream.setReadTimeout(30_000);
        assertEquals(200, stream.getResponseCode());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        received.add(new JsonPath(line.substring(5).trim()).getString("delivery_id"));
                    }
                }
            } catch (Exception closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        // The stream follows from the position it read when it started, which the 200 does not wait for: deliver a
        // primer until one arrives, so every delivery below is known to come after the stream's start.
        String primerSecret = secrets.get("github");
        Awaitility.await("the stream is following").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String id = "evt_primer_" + UUID.randomUUID();
                    String body = Deliveries.body("github", id);
                    given().headers(Deliveries.sign("github", primerSecret, body, id)).body(body)
                            .when().post(B + "/v1/webhooks/" + org + "/github").then().statusCode(200);
                    return received.stream().anyMatch(got -> got.startsWith("evt_primer_"));
                });
        List<String> sent = new ArrayList<>();
        for (Map.Entry<String, String> provider : secrets.entrySet()) {
            String scheme = provider.getKey();
            String id = "evt_" + scheme + "_" + UUID.randomUUID();
            String body = Deliveries.body(scheme, id);
            given().headers(Deliveries.sign(scheme, provider.getValue(), body, id)).body(body)
                    .when().post(B + "/v1/webhooks/" + org + "/" + scheme).then().statusCode(200);
            sent.add(id);
        }
        List<String> got = new ArrayList<>();
        while (got.size() < sent.size()) {
            String next = received.poll(15, TimeUnit.SECONDS);
            if (next == null) {
                break;
            }
            if (!next.startsWith("evt_primer_")) {
                got.add(next);
            }
        }
        stream.disconnect();
        assertEquals(sent, got);
    }

    @Test
    void aSecretRolledOnOneReplicaIsHonouredAtOnceByTheOther() {
        String org = UUID.randomUUID().toString();
        String owner = Deliveries.ownerToken(org);
        JsonPath created = createProvider(A, owner, "gh", "github");
        String old = created.getString("secret");
        String url = B + "/v1/webhooks/" + org + "/gh";
        // B caches the provider with the old secret...
        given().headers(Deliveries.sign("github", old, "{}", "d-1")).body("{}").when().post(url).then().statusCode(200);
        // ...A rolls it and ends the old secret now...
        String fresh = given().auth().oauth2(owner).contentType(ContentType.JSON)
                .body(Map.of("previous_expires_at", java.time.OffsetDateTime.now().minusSeconds(1).toString()))
                .when().post(A + "/v1/webhook-providers/" + created.getString("id") + "/secrets")
                .then().statusCode(200).extract().path("secret");
        assertNotEquals(old, fresh);
        // ...and B, told through PostgreSQL, refuses the old one and accepts the new one well within its cache TTL.
        long deadline = System.currentTimeMillis() + 5000;
        int status;
        do {
            status = given().headers(Deliveries.sign("github", old, "{\"n\":2}", "d-2")).body("{\"n\":2}")
                    .when().post(url).statusCode();
        } while (status == 200 && System.currentTimeMillis() < deadline);
        assertEquals(401, status);
        given().headers(Deliveries.sign("github", fresh, "{\"n\":3}", "d-3")).body("{\"n\":3}").when().post(url)
                .then().statusCode(200);
    }

    @Test
    void identicalDeliveriesRacingOnBothReplicasAreStoredOnce() throws Exception {
        String org = UUID.randomUUID().toString();
        String owner = Deliveries.ownerToken(org);
        String secret = createProvider(A, owner, "std", "standard").getString("secret");
        String body = Deliveries.body("standard", "race");
        Map<String, String> headers = Deliveries.sign("standard", secret, body, "msg_race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String base = i % 2 == 0 ? A : B;
                calls.add(() -> given().headers(headers).body(body).when().post(base + "/v1/webhooks/" + org + "/std")
                        .then().statusCode(200).extract().jsonPath().getBoolean("duplicate") ? 0 : 1);
            }
            int stored = 0;
            for (Future<Integer> result : pool.invokeAll(calls)) {
                stored += result.get();
            }
            assertEquals(1, stored);
        } finally {
            pool.shutdown();
        }
        given().auth().oauth2(owner).when().get(B + "/v1/webhook-events").then().statusCode(200)
                .body("data.size()", equalTo(1)).body("data[0].delivery_id", equalTo("msg_race"));
    }

    @Test
    void productionRefusesToStartWithoutItsKeyEncryptionKey() throws Exception {
        int exit = gateways.exitCodeWithout("LATCHKEY_WEBHOOK_KEK");
        assertNotEquals(0, exit);
        String log = gateways.log("webhook-gateway-without-LATCHKEY_WEBHOOK_KEK.log");
        assertTrue(log.contains("latchkey.webhook.kek"), log);
    }
}
