package dev.latchkey.apikey.rest;

import static dev.latchkey.apikey.rest.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.rest.Fixtures.Org;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.FakeLatchkey.Response;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Audit events reach tenant-service through the outbox, including after tenant-service was down. */
@QuarkusTest
class AuditTest {

    @Inject
    Pool pool;

    @BeforeEach
    @AfterEach
    void tenantUp() {
        Fixtures.tenantAcceptsAudit();
    }

    /** Waits (up to 15 s) until tenant-service received an event {@code action} of {@code organization}. */
    static JsonObject awaitEvent(String organization, String action) {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Fixtures.auditEvents(organization).stream()
                            .filter(event -> action.equals(event.getString("action"))).findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            return fail("no " + action + " event for " + organization + " reached tenant-service");
        }
    }

    List<Row> outbox(String organization) {
        List<Row> rows = new java.util.ArrayList<>();
        pool.preparedQuery("select * from apikey.audit_outbox where organization_id = $1 order by id")
                .execute(Tuple.of(UUID.fromString(organization))).await().indefinitely().forEach(rows::add);
        return rows;
    }

    @Test
    void aCreatedKeyIsAuditedWithActorTargetAddressAndRequestIdButNeverTheKey() {
        Org org = Fixtures.org();
        var response = bearer(org.owner()).header("X-Request-Id", "audit-req-1").body("{\"name\":\"audited\"}")
                .post("/v1/api-keys");
        response.then().statusCode(201);
        JsonPath created = response.jsonPath();
        Fixtures.PLAINTEXTS.add(created.getString("key"));
        JsonObject event = awaitEvent(org.id(), "api_key.created");
        assertEquals("user", event.getJsonObject("actor").getString("type"));
        assertEquals(org.ownerId(), event.getJsonObject("actor").getString("id"));
        assertNotNull(event.getJsonObject("actor").getString("email"));
        assertEquals("api_key", event.getJsonObject("target").getString("type"));
        assertEquals(created.getString("id"), event.getJsonObject("target").getString("id"));
        assertEquals("audited", event.getJsonObject("target").getString("name"));
        assertEquals(created.getString("start"), event.getJsonObject("metadata").getString("start"));
        assertEquals("audit-req-1", event.getString("request_id"));
        assertEquals("127.0.0.1", event.getString("client_address"));
        assertNotNull(Instant.parse(event.getString("occurred_at")));
        assertFalse(event.encode().contains(created.getString("key").substring(3, 39)));
        String auth = FakeLatchkey.received().stream().filter(r -> r.path().equals(Fixtures.AUDIT_PATH))
                .map(r -> r.header("Authorization")).findFirst().orElse("");
        assertTrue(auth.startsWith("Bearer ey"), "delivered with apikey-service's service token");
        awaitOutboxEmpty(org.id());
    }

    @Test
    void eventsWaitWhileTenantServiceIsDownAndArriveWhenItIsBack() throws Exception {
        FakeLatchkey.on("POST", Fixtures.AUDIT_PATH, request -> new Response(503, "{}"));
        Org org = Fixtures.org();
        String id = Fixtures.create(org.owner()).getString("id");
        bearer(org.owner()).delete("/v1/api-keys/" + id).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> outbox(org.id()).get(0).getInteger("attempts") >= 2);
        List<Row> waiting = outbox(org.id());
        assertEquals(2, waiting.size(), "both events are kept");
        assertTrue(waiting.get(0).getInteger("attempts") >= 2, "the first was retried");
        assertTrue(waiting.get(0).getString("last_error").contains("503"), waiting.get(0).getString("last_error"));
        // The revocation waits behind the creation rather than overtaking it.
        assertTrue(waiting.get(1).getString("last_error") == null
                || waiting.get(1).getString("last_error").contains("503")
                || waiting.get(1).getString("last_error").contains("earlier event"), waiting.get(1).getString("last_error"));

        Fixtures.tenantAcceptsAudit();
        awaitEvent(org.id(), "api_key.created");
        awaitEvent(org.id(), "api_key.revoked");
        awaitOutboxEmpty(org.id());
        // Every attempt carried the same event_id, so tenant-service records an event once however often it came.
        List<String> ids = FakeLatchkey.received().stream().filter(r -> r.path().equals(Fixtures.AUDIT_PATH))
                .map(r -> new JsonObject(r.body()))
                .filter(e -> org.id().equals(e.getString("organization_id")) && "api_key.created".equals(e.getString("action")))
                .map(e -> e.getString("event_id")).toList();
        assertTrue(ids.size() >= 3, "two refused attempts and the delivery: " + ids);
        assertTrue(ids.get(0).startsWith("apikey:"), ids.get(0));
        assertEquals(1, ids.stream().distinct().count(), ids.toString());
        // ...and in the order they happened: the revocation is never recorded before the creation it follows.
        List<String> actions = FakeLatchkey.received().stream().filter(r -> r.path().equals(Fixtures.AUDIT_PATH))
                .map(r -> new JsonObject(r.body())).filter(e -> org.id().equals(e.getString("organization_id")))
                .map(e -> e.getString("action")).toList();
        assertTrue(actions.lastIndexOf("api_key.created") < actions.lastIndexOf("api_key.revoked"), actions.toString());
        assertTrue(actions.indexOf("api_key.revoked") > actions.indexOf("api_key.created"), actions.toString());
    }

    @Test
    void anEventTenantServiceRefusesAsInvalidIsSetAsideNotDropped() throws Exception {
        FakeLatchkey.on("POST", Fixtures.AUDIT_PATH, request -> new Response(400, "{\"code\":\"validation_failed\"}"));
        Org org = Fixtures.org();
        Fixtures.create(org.owner());
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> outbox(org.id()).stream().anyMatch(r -> r.getValue("rejected_at") != null));
        List<Row> rows = outbox(org.id());
        assertEquals(1, rows.size());
        assertNotNull(rows.get(0).getValue("rejected_at"));
    }

    void awaitOutboxEmpty(String organization) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertTrue(outbox(organization).isEmpty(), "delivered events leave the outbox"));
    }
}
