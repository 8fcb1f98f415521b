package dev.latchkey.e2e.webhook;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.e2e.Suite;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * webhook-gateway's provider changes reach the organization's audit log at tenant-service, with the person who
 * made them, and none is lost while tenant-service is down: they wait in webhook-gateway's outbox.
 */
class ProviderAuditTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String TENANT = Suite.url(Suite.TENANT);
    static final String WEBHOOK = Suite.url(Suite.WEBHOOK);
    static final String PASSWORD = "correct horse battery staple";

    static Suite suite;

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
    }

    @Test
    void providerChangesAreAuditedEvenWhileTenantServiceIsDown() throws Exception {
        String email = "hooks-" + UUID.randomUUID() + "@example.com";
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD, "name", "Hook"))
                .when().post(IDENTITY + "/v1/auth/register").then().statusCode(201);
        JsonPath login = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .when().post(IDENTITY + "/v1/auth/login").then().statusCode(200).extract().jsonPath();
        String token = login.getString("access_token");
        String userId = login.getString("user.id");
        String org = login.getString("organization.id");

        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "stripe-live", "scheme", "stripe")).when().post(WEBHOOK + "/v1/webhook-providers")
                .then().statusCode(201).extract().path("id");
        List<Map<String, Object>> events = awaitEvents(token, org, 1);
        Map<String, Object> created = events.get(0);
        assertEquals("webhook_provider.created", created.get("action"));
        assertEquals(userId, ((Map<?, ?>) created.get("actor")).get("id"));
        assertEquals("stripe-live", ((Map<?, ?>) created.get("target")).get("name"));
        assertFalse(events.toString().contains("whsec_"), "a secret reached the audit log: " + events);

        // tenant-service goes away; the gateway keeps working and keeps the events.
        suite.stopService("tenant-service");
        try {
            given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                    .when().post(WEBHOOK + "/v1/webhook-providers/" + id + "/secrets").then().statusCode(200);
            given().auth().oauth2(token).when().delete(WEBHOOK + "/v1/webhook-providers/" + id).then().statusCode(204);
            // Both changes were offered to tenant-service while it was down, and kept.
            Awaitility.await("both changes tried while tenant-service is down").atMost(Duration.ofSeconds(30))
                    .until(() -> triedAndKept(org) >= 2);
        } finally {
            suite.startAgain("tenant-service");
        }
        events = awaitEvents(token, org, 3);
        assertEquals(List.of("webhook_provider.deleted", "webhook_provider.secret_rotated", "webhook_provider.created"),
                events.stream().map(e -> e.get("action")).toList(), "newest first");
        assertFalse(events.toString().contains("whsec_"), "a secret reached the audit log: " + events);
    }

    /** The organization's webhook_provider events, newest first, once there are {@code count} (within 30 s). */
    static List<Map<String, Object>> awaitEvents(String token, String org, int count) {
        return Awaitility.await(count + " audit events").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth().oauth2(token).queryParam("action", "webhook_provider.*")
                        .when().get(TENANT + "/v1/organizations/" + org + "/audit")
                        .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("events"),
                        events -> events.size() >= count);
    }

    /** How many of the organization's audit events the gateway's outbox tried to deliver and still holds. */
    static int triedAndKept(String org) throws SQLException {
        try (Connection db = Suite.database(); PreparedStatement query = db.prepareStatement(
                "select count(*) from webhook.audit_outbox where organization_id = ?::uuid and attempts > 0")) {
            query.setString(1, org);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
