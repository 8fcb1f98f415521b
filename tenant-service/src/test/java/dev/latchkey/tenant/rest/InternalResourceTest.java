package dev.latchkey.tenant.rest;

import static dev.latchkey.tenant.rest.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.tenant.rest.Fixtures.Person;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;

/** The API identity-service and the other services call, exactly as CONTRACTS.md has it. */
@QuarkusTest
class InternalResourceTest {

    @Inject
    Pool pool;

    Fixtures fixtures;

    @BeforeEach
    void services() {
        FakeServices.healthy();
        SmtpServer.up();
        fixtures = new Fixtures(pool);
    }

    static RequestSpecification identity(String... scopes) {
        return given().header("Authorization", "Bearer " + TestTokens.service("identity-service", scopes).sign())
                .contentType(ContentType.JSON);
    }

    static RequestSpecification reader() {
        return identity("internal:memberships.read");
    }

    static RequestSpecification writer() {
        return identity("internal:memberships.write");
    }

    static String onboardBody(String email, boolean verified) {
        return "{\"email\":\"" + email + "\",\"email_verified\":" + verified + ",\"name\":\"Grace Hopper\"}";
    }

    @Nested
    class Onboard {

        @Test
        void createsThePersonalOrganizationOnceOwnedByTheUser() {
            String user = UUID.randomUUID().toString();
            String personal = writer().body(onboardBody("grace-" + user + "@example.test", false))
                    .when().post("/internal/v1/users/" + user + "/onboard")
                    .then().statusCode(200)
                    .body("memberships", hasSize(1))
                    .body("memberships[0].role", equalTo("owner"))
                    .body("memberships[0].personal", equalTo(true))
                    .body("memberships[0].name", notNullValue())
                    .body("memberships[0].slug", notNullValue())
                    .body("memberships[0].created_at", notNullValue())
                    .extract().path("memberships[0].organization_id");
            writer().body(onboardBody("grace-" + user + "@example.test", true))
                    .when().post("/internal/v1/users/" + user + "/onboard")
                    .then().statusCode(200).body("memberships.organization_id", contains(personal));
            assertEquals(1, fixtures.rows("select 1 from tenant.organizations where personal_owner = $1",
                    UUID.fromString(user)).size());
        }

        @Test
        void concurrentFirstSignInsCreateExactlyOnePersonalOrganization() throws Exception {
            String user = UUID.randomUUID().toString();
            int callers = 6;
            CyclicBarrier start = new CyclicBarrier(callers);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return writer().body(onboardBody("race-" + user + "@example.test", true))
                            .when().post("/internal/v1/users/" + user + "/onboard")
                            .then().statusCode(200).body("memberships", hasSize(1))
                            .extract().path("memberships[0].organization_id");
                }));
            }
            List<String> answers = new ArrayList<>();
            for (CompletableFuture<String> call : calls) {
                answers.add(call.get());
            }
            assertEquals(1, answers.stream().distinct().count(), "every caller sees the same organization");
            assertEquals(1, fixtures.rows("select 1 from tenant.organizations where personal_owner = $1",
                    UUID.fromString(user)).size());
        }

        @Test
        void aVerifiedEmailJoinsEveryOrganizationThatInvitedItWithTheInvitedRole() {
            String org = fixtures.organization("Inviter");
            Person owner = fixtures.member(org, "owner");
            String email = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            as(Fixtures.user(owner, org, "owner")).body("{\"email\":\"" + email + "\",\"role\":\"admin\"}")
                    .when().post("/v1/organizations/" + org + "/invitations").then().statusCode(201);
            String user = UUID.randomUUID().toString();
            // not verified yet: the invitation waits
            writer().body(onboardBody(email.toUpperCase(), false)).when().post("/internal/v1/users/" + user + "/onboard")
                    .then().statusCode(200).body("memberships", hasSize(1));
            // verified: honoured, personal organization still first
            writer().body(onboardBody(email, true)).when().post("/internal/v1/users/" + user + "/onboard")
                    .then().statusCode(200)
                    .body("memberships", hasSize(2))
                    .body("memberships.personal", contains(true, false))
                    .body("memberships[1].organization_id", equalTo(org))
                    .body("memberships[1].role", equalTo("admin"));
            assertEquals(1, fixtures.rows("select 1 from tenant.invitations where email = $1 and accepted_at is not null",
                    email).size());
            as(Fixtures.user(owner, org, "owner")).queryParam("action", "invitation.accepted")
                    .when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200).body("events[0].actor.id", equalTo(user));
        }

        @Test
        void expiredAndRevokedInvitationsAreNotHonoured() {
            String org = fixtures.organization("Inviter");
            Person owner = fixtures.member(org, "owner");
            String email = "late-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            as(Fixtures.user(owner, org, "owner")).body("{\"email\":\"" + email + "\"}")
                    .when().post("/v1/organizations/" + org + "/invitations").then().statusCode(201);
            fixtures.rows("update tenant.invitations set expires_at = now() - interval '1 minute' where email = $1", email);
            writer().body(onboardBody(email, true)).when().post("/internal/v1/users/" + UUID.randomUUID() + "/onboard")
                    .then().statusCode(200).body("memberships", hasSize(1));
        }

        @Test
        void badInputIs400() {
            writer().body("{\"email\":\"nope\",\"email_verified\":true}")
                    .when().post("/internal/v1/users/" + UUID.randomUUID() + "/onboard")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            writer().body(onboardBody("a@example.test", true)).when().post("/internal/v1/users/not-a-uuid/onboard")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void onlyAServiceWithMembershipsWriteMayCallIt() {
            String path = "/internal/v1/users/" + UUID.randomUUID() + "/onboard";
            given().contentType(ContentType.JSON).body(onboardBody("a@example.test", true)).when().post(path)
                    .then().statusCode(401);
            reader().body(onboardBody("a@example.test", true)).when().post(path)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            String org = fixtures.organization("x");
            as(Fixtures.user(fixtures.member(org, "owner"), org, "owner")).body(onboardBody("a@example.test", true))
                    .when().post(path).then().statusCode(403).body("code", equalTo("access_denied"));
        }
    }

    @Nested
    class Memberships {

        @Test
        void listsLiveOrganizationsPersonalFirstThenByJoinedTime() {
            String user = UUID.randomUUID().toString();
            Person person = new Person(user, "m-" + user + "@example.test");
            String personal = writer().body(onboardBody(person.email(), true))
                    .when().post("/internal/v1/users/" + user + "/onboard")
                    .then().statusCode(200).extract().path("memberships[0].organization_id");
            String first = fixtures.organization("First");
            fixtures.join(person, first, "member");
            String deleted = fixtures.organization("Deleted");
            fixtures.join(person, deleted, "owner");
            fixtures.rows("update tenant.organizations set deleted_at = now() where id = $1", UUID.fromString(deleted));
            reader().when().get("/internal/v1/users/" + user + "/memberships")
                    .then().statusCode(200)
                    .body("memberships.organization_id", contains(personal, first))
                    .body("memberships.role", contains("owner", "member"))
                    .body("memberships.personal", contains(true, false));
        }

        @Test
        void anUnknownUserHasNone() {
            reader().when().get("/internal/v1/users/" + UUID.randomUUID() + "/memberships")
                    .then().statusCode(200).body("memberships", hasSize(0));
        }

        @Test
        void oneMembershipForSwitchOrg() {
            String org = fixtures.organization("Switch");
            Person person = fixtures.member(org, "admin");
            reader().when().get("/internal/v1/organizations/" + org + "/members/" + person.id())
                    .then().statusCode(200).body("organization_id", equalTo(org)).body("role", equalTo("admin"))
                    .body("name", equalTo("Switch")).body("personal", equalTo(false)).body("slug", notNullValue());
        }

        @Test
        void notAMemberOrADeletedOrganizationIs404() {
            String org = fixtures.organization("Switch");
            Person person = fixtures.member(org, "admin");
            reader().when().get("/internal/v1/organizations/" + org + "/members/" + UUID.randomUUID())
                    .then().statusCode(404).body("code", equalTo("not_found"));
            fixtures.rows("update tenant.organizations set deleted_at = now() where id = $1", UUID.fromString(org));
            reader().when().get("/internal/v1/organizations/" + org + "/members/" + person.id())
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void onlyAServiceWithMembershipsReadMayCallThem() {
            String path = "/internal/v1/users/" + UUID.randomUUID() + "/memberships";
            given().when().get(path).then().statusCode(401);
            writer().when().get(path).then().statusCode(403).body("code", equalTo("access_denied"));
            as(Fixtures.key(fixtures.organization("k"), "read_write")).when().get(path)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }
    }

    @Nested
    class AuditEvents {

        static String event(String org, String eventId) {
            return "{\"organization_id\":\"" + org + "\",\"actor\":{\"type\":\"api_key\",\"id\":\"key-1\"},"
                    + "\"action\":\"api_key.revoked\",\"target\":{\"type\":\"api_key\",\"id\":\"key-2\",\"name\":\"ci\"},"
                    + "\"metadata\":{\"reason\":\"rotation\"},\"client_address\":\"203.0.113.9\",\"request_id\":\"r-1\","
                    + "\"occurred_at\":\"2026-01-02T03:04:05Z\"" + (eventId == null ? "" : ",\"event_id\":\"" + eventId + "\"")
                    + "}";
        }

        static RequestSpecification apikeyService() {
            return given().header("Authorization", "Bearer "
                    + TestTokens.service("apikey-service", "internal:audit.write").sign()).contentType(ContentType.JSON);
        }

        @Test
        void anotherServicesEventLandsInTheOrganizationsLog() {
            String org = fixtures.organization("Audited");
            Person owner = fixtures.member(org, "owner");
            apikeyService().body(event(org, null)).when().post("/internal/v1/audit-events")
                    .then().statusCode(201).body("id", notNullValue());
            as(Fixtures.user(owner, org, "owner")).queryParam("action", "api_key.revoked")
                    .when().get("/v1/organizations/" + org + "/audit")
                    .then().statusCode(200)
                    .body("events", hasSize(1))
                    .body("events[0].actor.type", equalTo("api_key"))
                    .body("events[0].target.name", equalTo("ci"))
                    .body("events[0].metadata.reason", equalTo("rotation"))
                    .body("events[0].client_address", equalTo("203.0.113.9"))
                    .body("events[0].request_id", equalTo("r-1"))
                    .body("events[0].occurred_at", equalTo("2026-01-02T03:04:05Z"));
        }

        @Test
        void aRedeliveredEventIsRecordedOnce() {
            String org = fixtures.organization("Audited");
            String eventId = UUID.randomUUID().toString();
            String first = apikeyService().body(event(org, eventId)).when().post("/internal/v1/audit-events")
                    .then().statusCode(201).extract().path("id");
            apikeyService().body(event(org, eventId)).when().post("/internal/v1/audit-events")
                    .then().statusCode(201).body("id", equalTo(first));
            assertEquals(1, fixtures.rows("select 1 from tenant.audit_events where source_event_id = $1", eventId).size());
        }

        @Test
        void badEventsAre400() {
            String org = fixtures.organization("Audited");
            apikeyService().body(event(org, null).replace("api_key.revoked", "Revoked!"))
                    .when().post("/internal/v1/audit-events")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            apikeyService().body(event(org, null).replace("\"type\":\"api_key\",\"id\":\"key-1\"", "\"type\":\"robot\""))
                    .when().post("/internal/v1/audit-events")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            apikeyService().body("{\"organization_id\":\"" + org + "\"}").when().post("/internal/v1/audit-events")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void anUnknownOrganizationIs404() {
            apikeyService().body(event(UUID.randomUUID().toString(), null)).when().post("/internal/v1/audit-events")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void onlyAServiceWithAuditWriteMayCallIt() {
            String org = fixtures.organization("Audited");
            given().contentType(ContentType.JSON).body(event(org, null)).when().post("/internal/v1/audit-events")
                    .then().statusCode(401);
            reader().body(event(org, null)).when().post("/internal/v1/audit-events")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            as(Fixtures.key(org, "read_write")).body(event(org, null)).when().post("/internal/v1/audit-events")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }
    }
}
