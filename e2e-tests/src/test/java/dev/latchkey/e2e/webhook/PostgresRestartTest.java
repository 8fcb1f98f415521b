package dev.latchkey.e2e.webhook;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Nothing acknowledged is lost when PostgreSQL restarts under load: senders record every delivery the gateway
 * answered 2xx, PostgreSQL is restarted (fast shutdown: open connections cut) while they send, and afterwards the
 * inbox must hold every acknowledged delivery. Runs on a PostgreSQL cluster of its own (initdb/pg_ctl), so the
 * shared one is never restarted; skipped where PostgreSQL's server binaries are not installed.
 */
class PostgresRestartTest {

    @Test
    void everyAcknowledgedDeliveryIsInTheInboxAfterARestartUnderLoad() throws Exception {
        assumeTrue(PrivatePostgres.binaries() != null, "PostgreSQL server binaries (initdb, pg_ctl) are not installed");
        int port = Gateways.BASE + 15;
        String db = "latchkey_pg_restart";
        try (PrivatePostgres pg = PrivatePostgres.start(port, Gateways.DB_USER, Gateways.DB_PASSWORD, db)) {
            Gateways gateways = new Gateways("127.0.0.1", String.valueOf(port), db);
            try {
                gateways.start(1);
                run(gateways, pg);
            } finally {
                gateways.stop();
            }
        }
    }

    private void run(Gateways gateways, PrivatePostgres pg) throws Exception {
        String base = Gateways.url(0);
        String org = UUID.randomUUID().toString();
        String secret = given().auth().oauth2(Deliveries.ownerToken(org)).contentType(ContentType.JSON)
                .body(Map.of("name", "std", "scheme", "standard"))
                .when().post(base + "/v1/webhook-providers").then().statusCode(201).extract().path("secret");
        String url = base + "/v1/webhooks/" + org + "/std";

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger acknowledgedAfterRestart = new AtomicInteger();
        long end = System.currentTimeMillis() + 14_000;
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int s = 0; s < 8; s++) {
            senders.submit(() -> {
                while (System.currentTimeMillis() < end) {
                    String id = "msg_" + UUID.randomUUID();
                    String body = Deliveries.body("standard", id);
                    // A sender retries a delivery until it is acknowledged, as real senders do.
                    while (System.currentTimeMillis() < end) {
                        Response response;
                        try {
                            response = given().headers(Deliveries.sign("standard", secret, body, id)).body(body)
                                    .when().post(url);
                        } catch (Exception connectionTrouble) {
                            refused.incrementAndGet();
                            continue;
                        }
                        if (response.statusCode() == 200) {
                            acknowledged.add(id);
                            if (System.currentTimeMillis() > restartedAt.get()) {
                                acknowledgedAfterRestart.incrementAndGet();
                            }
                            break;
                        }
                        assertEquals(503, response.statusCode(), response.asString());
                        refused.incrementAndGet();
                        sleep(50);
                    }
                }
                return null;
            });
        }
        // PostgreSQL restarts while deliveries are being accepted, not before the load is under way.
        Awaitility.await("deliveries accepted before the restart").atMost(Duration.ofSeconds(10))
                .until(() -> acknowledged.size() >= 20);
        pg.restart();
        restartedAt.set(System.currentTimeMillis());
        senders.shutdown();
        assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));

        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection(gateways.jdbcUrl(), Gateways.DB_USER, Gateways.DB_PASSWORD);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select delivery_id from webhook.events")) {
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
        }
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(stored);
        System.out.printf("PostgreSQL restart under load: %d acknowledged, %d stored, %d refused with 503 or cut, "
                + "%d acknowledged after the restart%n", acknowledged.size(), stored.size(), refused.get(),
                acknowledgedAfterRestart.get());
        assertTrue(missing.isEmpty(), "acknowledged but not in the inbox: " + missing);
        assertTrue(acknowledged.size() > 20, "the load ran: " + acknowledged.size());
        assertTrue(acknowledgedAfterRestart.get() > 0, "the gateway recovered after the restart");
    }

    /** A real sender pauses before it retries a refused delivery: this pause is the behaviour being played. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
