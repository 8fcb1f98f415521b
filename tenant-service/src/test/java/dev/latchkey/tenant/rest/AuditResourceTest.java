package dev.latchkey.tenant.rest;

import static dev.latchkey.tenant.rest.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.tenant.rest.Fixtures.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class AuditResourceTest {

    @Inject
    Pool pool;

    Fixtures fixtures;
    String org;
    Person owner;
    Person member;

    @BeforeEach
    void organizationWithHistory() {
        FakeServices.healthy();
        SmtpServer.up();
        fixtures = new Fixtures(pool);
        org = fixtures.organization("History");
        owner = fixtures.member(org, "owner");
        member = fixtures.member(org, "member");
    }

    String owner() {
        return Fixtures.user(owner, org, "owner");
    }

    @Nested
    class Records {

        @Test
        void everyChangeIsRecordedWithActorTargetTimeAddressAndRequestId() {
            as(owner()).header("X-Request-Id", "req-rename-1").body("{\"name\":\"Renamed\"}")
                    .when().patch("/v1/organizations/" + org).then().statusCode(200);
            as(owner()).body("{\"role\":\"admin\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + member.id()).then().statusCode(200);
            as(owner()).body("{\"email\":\"new@example.test\",\"role\":\"member\"}")
                    .when().post("/v1/organizations/" + org + "/invitations").then().statusCode(201);

            as(owner()).when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200)
                    .body("events.action", contains("invitation.created", "member.role_changed", "organization.updated"))
                    .body("events.actor.id", everyItem(equalTo(owner.id())))
                    .body("events.actor.type", everyItem(equalTo("user")))
                    .body("events.actor.email", everyItem(equalTo(owner.email())))
                    .body("events[1].target.id", equalTo(member.id()))
                    .body("events[1].metadata.from", equalTo("member"))
                    .body("events[1].metadata.to", equalTo("admin"))
                    .body("events[2].metadata.name.to", equalTo("Renamed"))
                    .body("events[2].request_id", equalTo("req-rename-1"))
                    .body("events[2].client_address", equalTo("127.0.0.1"))
                    .body("events[2].occurred_at", notNullValue());
        }

        @Test
        void xForwardedForIsNotBelievedFromAnUntrustedPeer() {
            as(owner()).header("X-Forwarded-For", "198.51.100.7").body("{\"name\":\"Spoofed\"}")
                    .when().patch("/v1/organizations/" + org).then().statusCode(200);
            as(owner()).when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events[0].client_address", equalTo("127.0.0.1"));
        }

        @Test
        void theLogIsAppendOnlyInTheDatabaseToo() {
            as(owner()).body("{\"name\":\"Once\"}").when().patch("/v1/organizations/" + org).then().statusCode(200);
            RuntimeException update = assertThrows(RuntimeException.class, () -> fixtures.rows(
                    "update tenant.audit_events set action = 'nothing.happened' where organization_id = $1",
                    UUID.fromString(org)));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(RuntimeException.class, () -> fixtures.rows(
                    "delete from tenant.audit_events where organization_id = $1", UUID.fromString(org)));
            as(owner()).when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events.action", contains("organization.updated"));
        }
    }

    @Nested
    class Filters {

        @BeforeEach
        void history() {
            as(owner()).body("{\"name\":\"One\"}").when().patch("/v1/organizations/" + org).then().statusCode(200);
            as(owner()).body("{\"role\":\"admin\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + member.id()).then().statusCode(200);
            as(Fixtures.user(member, org, "admin")).body("{\"name\":\"Two\"}")
                    .when().patch("/v1/organizations/" + org).then().statusCode(200);
        }

        @Test
        void byAction() {
            as(owner()).queryParam("action", "organization.updated").when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events", hasSize(2));
            as(owner()).queryParam("action", "member.*").when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events.action", contains("member.role_changed"));
        }

        @Test
        void byActor() {
            as(owner()).queryParam("actor", member.id()).when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events", hasSize(1)).body("events[0].metadata.name.to", equalTo("Two"));
        }

        @Test
        void byTime() {
            as(owner()).queryParam("since", Instant.now().plusSeconds(60).toString())
                    .when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events", hasSize(0));
            as(owner()).queryParam("until", Instant.now().plusSeconds(60).toString())
                    .queryParam("since", Instant.now().minusSeconds(600).toString())
                    .when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events", hasSize(3));
        }

        @Test
        void pagesNewestFirstWithACursor() {
            String cursor = as(owner()).queryParam("limit", 2).when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events", hasSize(2))
                    .body("events[0].metadata.name.to", equalTo("Two"))
                    .extract().path("next_cursor");
            as(owner()).queryParam("limit", 2).queryParam("cursor", cursor)
                    .when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events", hasSize(1))
                    .body("events[0].metadata.name.to", equalTo("One")).body("next_cursor", nullValue());
        }

        @Test
        void badFiltersAre400() {
            for (String[] bad : new String[][] { { "since", "yesterday" }, { "until", "2026-13-01" },
                    { "action", "DROP TABLE" }, { "limit", "500" }, { "cursor", "x" } }) {
                as(owner()).queryParam(bad[0], bad[1]).when().get("/v1/organizations/" + org + "/audit")
                        .then().statusCode(400).body("code", equalTo("validation_failed"))
                        .body("message", startsWith("'" + bad[0] + "'"));
            }
        }
    }

    @Nested
    class Access {

        @Test
        void membersAndReadKeysMayNotReadIt() {
            as(Fixtures.user(member, org, "member")).when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            as(Fixtures.key(org, "read")).when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void withoutTokenIs401() {
            given().when().get("/v1/organizations/" + org + "/audit").then().statusCode(401);
        }
    }
}
