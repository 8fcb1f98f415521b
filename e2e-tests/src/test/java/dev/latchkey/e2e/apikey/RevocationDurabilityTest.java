package dev.latchkey.e2e.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.latchkey.e2e.PrivateRedis;
import dev.latchkey.e2e.Suite;
import io.restassured.path.json.JsonPath;

/**
 * Revocations of API keys outlive Redis (issue 23, items 11 and 12): PostgreSQL is their record, Redis only carries
 * announcements. identity-service, apikey-service and webhook-gateway run on a Redis of this test's own, which it
 * stops, restarts and wipes; apikey-service's job that re-announces failed revocations is slowed to once an hour,
 * so that nothing here depends on an announcement being published again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevocationDurabilityTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String APIKEY = Suite.url(Suite.APIKEY);
    static final String TENANT = Suite.url(Suite.TENANT);
    static final String WEBHOOK = Suite.url(Suite.WEBHOOK);
    static final List<String> MOVED = List.of("identity-service", "apikey-service", "webhook-gateway");
    /** What Revocations logs once it has resynchronised and trusts its caches again. */
    static final String TRUSTED = "caches trusted";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Suite suite;
    static PrivateRedis redis;
    static String adminKey;

    record Reply(int status, String body) {
        String code() {
            return body.startsWith("{") ? JsonPath.from(body).getString("code") : null;
        }
    }

    @BeforeAll
    static void moveThreeServicesToARedisOfOurOwn() throws Exception {
        assumeFalse(Boolean.getBoolean("e2e.running"), "restarts services: not with services someone else started");
        assumeTrue(PrivateRedis.binary() != null, "redis-server is not installed");
        suite = Suite.shared();
        redis = PrivateRedis.start(Suite.BASE + 13);
        for (String service : MOVED) {
            suite.restartWith(service, environment(service));
        }
        Reply created = send("POST", TENANT + "/v1/tenants", Map.of(), "{\"name\":\"durable-revocations\"}");
        assertEquals(201, created.status(), created.body());
        adminKey = JsonPath.from(created.body()).getString("api_key.key");
    }

    @AfterAll
    static void moveThemBack() throws Exception {
        try {
            if (suite != null && redis != null) {
                for (String service : MOVED) {
                    suite.restartWith(service, Map.of());
                }
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    static Map<String, String> environment(String service) {
        return "apikey-service".equals(service)
                ? Map.of("LATCHKEY_REDIS_HOST", "127.0.0.1", "LATCHKEY_REDIS_PORT", String.valueOf(redis.port),
                        "LATCHKEY_APIKEY_REVOCATION_CHECK_INTERVAL", "PT1H")
                : Map.of("LATCHKEY_REDIS_HOST", "127.0.0.1", "LATCHKEY_REDIS_PORT", String.valueOf(redis.port));
    }

    @Test
    @Order(1)
    void aKeyRevokedWhileRedisIsDownStaysRefusedWhenRedisReturns() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (int round = 1; round <= 5; round++) {
            JsonPath key = createKey("outage-" + round);
            String token = exchange(key.getString("key"));
            assertAdmitted(token);

            redis.stop();
            // The revocation is committed to PostgreSQL and answered as usual; its announcement cannot be made.
            Reply revoked = send("DELETE", APIKEY + "/v1/api-keys/" + key.getString("id"), bearer(adminKey), null);
            assertEquals(200, revoked.status(), "revoking while Redis is down: " + revoked.body());
            Awaitility.await("round " + round + ": refused at the source while Redis is down")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> refusedAtIdentity(token) && refusedAtWebhook(token));

            long identityLog = logSize("identity-service");
            long webhookLog = logSize("webhook-gateway");
            redis.start();
            int r = round;
            // From the moment Redis answers until both services trust their caches again, and for two seconds after,
            // every use of the token is refused.
            Awaitility.await("round " + round + ": both services trust their caches again")
                    .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        probe(token, r, accepted);
                        return logged("identity-service", identityLog) && logged("webhook-gateway", webhookLog);
                    });
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            Awaitility.await("round " + round + ": probing after the caches are trusted")
                    .atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        probe(token, r, accepted);
                        return System.nanoTime() > end;
                    });
        }
        assertTrue(accepted.isEmpty(), "a key revoked while Redis was down was accepted " + accepted.size()
                + " times after it returned, first: " + accepted.subList(0, Math.min(4, accepted.size())));
    }

    @Test
    @Order(2)
    void aServiceStartedAfterRedisLostEverythingStillRefusesARevokedKey() throws Exception {
        JsonPath key = createKey("forgotten");
        String token = exchange(key.getString("key"));
        assertAdmitted(token);
        assertEquals(200, send("DELETE", APIKEY + "/v1/api-keys/" + key.getString("id"), bearer(adminKey), null).status());
        Awaitility.await("the announced revocation reached webhook-gateway").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20)).until(() -> refusedAtWebhook(token));

        // Redis comes back empty (what it held is gone, persistence or not): only PostgreSQL knows the revocation.
        redis.stopAndWipe();
        redis.start();
        long webhookLog = logSize("webhook-gateway");
        suite.restartWith("webhook-gateway", environment("webhook-gateway"));
        Awaitility.await("the restarted webhook-gateway trusts its caches").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> logged("webhook-gateway", webhookLog));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Reply reply = send("GET", WEBHOOK + "/v1/webhook-events", bearer(token), null);
            assertEquals(401, reply.status(), "attempt " + attempt + ": " + reply.body());
            assertEquals("api_key_revoked", reply.code(), "attempt " + attempt);
        }
    }

    static JsonPath createKey(String name) {
        Reply reply = send("POST", APIKEY + "/v1/api-keys", bearer(adminKey), "{\"name\":\"" + name + "\"}");
        assertEquals(201, reply.status(), reply.body());
        return JsonPath.from(reply.body());
    }

    static String exchange(String key) {
        Reply reply = send("POST", IDENTITY + "/v1/auth/token", Map.of(), "{\"api_key\":\"" + key + "\"}");
        assertEquals(200, reply.status(), reply.body());
        return JsonPath.from(reply.body()).getString("access_token");
    }

    /** identity admits a key's token to its sessions endpoint and then refuses it there as not a person (403). */
    static void assertAdmitted(String token) {
        Reply identity = send("GET", IDENTITY + "/v1/sessions", bearer(token), null);
        assertEquals(403, identity.status(), identity.body());
        Reply webhook = send("GET", WEBHOOK + "/v1/webhook-events", bearer(token), null);
        assertEquals(200, webhook.status(), webhook.body());
    }

    static boolean refusedAtIdentity(String token) {
        return "api_key_revoked".equals(send("GET", IDENTITY + "/v1/sessions", bearer(token), null).code());
    }

    static boolean refusedAtWebhook(String token) {
        return "api_key_revoked".equals(send("GET", WEBHOOK + "/v1/webhook-events", bearer(token), null).code());
    }

    /** Records every answer that admitted the revoked key's token (anything but 401 api_key_revoked, or a 503). */
    static void probe(String token, int round, List<String> accepted) {
        for (String url : List.of(IDENTITY + "/v1/sessions", WEBHOOK + "/v1/webhook-events")) {
            Reply reply = send("GET", url, bearer(token), null);
            if (reply.status() != 503 && !"api_key_revoked".equals(reply.code())) {
                accepted.add("round " + round + ": " + url + " answered " + reply.status() + " " + reply.body());
            }
        }
    }

    static long logSize(String service) throws IOException {
        Path log = suite.log(service);
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /** Whether {@code service} logged that it trusts its caches after byte {@code from} of its log. */
    static boolean logged(String service, long from) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(suite.log(service).toFile(), "r")) {
            long length = file.length();
            if (length <= from) {
                return false;
            }
            byte[] tail = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8).contains(TRUSTED);
        }
    }

    static Map<String, String> bearer(String credential) {
        return Map.of("Authorization", "Bearer " + credential);
    }

    static Reply send(String method, String url, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body() == null ? "" : response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
