package dev.latchkey.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.webhook.testing.Org;
import dev.latchkey.webhook.testing.Senders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The gateway never accepts what it cannot de-duplicate: with Redis away, deliveries get 503 and are not stored. */
@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
@QuarkusTestResource(value = PrivateRedis.class, restrictToAnnotatedClass = true)
class RedisDownTest {

    @ParameterizedTest
    @ValueSource(strings = { "github", "stripe", "standard", "svix", "generic" })
    void withRedisStoppedDeliveriesAre503AndNothingIsStoredThenAcceptedWhenItIsBack(String scheme) {
        Org org = new Org();
        String secret = org.provider(scheme.equals("generic") ? Map.of("name", "p", "scheme", scheme, "require_api_key", false)
                : Map.of("name", "p", "scheme", scheme)).getString("secret");
        // Warm the provider cache while Redis is up, so that only Redis is missing below.
        String warm = Senders.body(scheme, "warm-" + scheme);
        given().headers(Senders.sign(scheme, secret, warm, Senders.now(), "warm-" + scheme)).body(warm)
                .when().post(org.path("p")).then().statusCode(200);

        String body = Senders.body(scheme, "evt_down");
        Map<String, String> headers = Senders.sign(scheme, secret, body, Senders.now(), "evt_down");
        PrivateRedis.stopRedis();
        try {
            given().headers(headers).body(body).when().post(org.path("p"))
                    .then().statusCode(503).body("code", equalTo("dependency_unavailable"));
            assertEquals(1, org.events("").getList("data").size(), "only the warm-up delivery is stored");
        } finally {
            PrivateRedis.startRedis();
        }
        // The sender's retry goes through once Redis is back (a new Redis knows no reservation).
        awaitAccepted(org, headers, body);
        assertEquals(2, org.events("").getList("data").size());
    }

    @Test
    void readinessReportsRedisDown() {
        PrivateRedis.stopRedis();
        try {
            given().when().get("/q/health/ready").then().statusCode(503);
        } finally {
            PrivateRedis.startRedis();
        }
    }

    private static void awaitAccepted(Org org, Map<String, String> headers, String body) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().headers(headers).body(body).when().post(org.path("p")).then().statusCode(200));
    }
}
