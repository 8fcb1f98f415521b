package dev.latchkey.tenant.rest;

import static dev.latchkey.tenant.rest.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import dev.latchkey.tenant.rest.Fixtures.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class MemberResourceTest {

    @Inject
    Pool pool;

    Fixtures fixtures;
    String org;
    Person owner;
    Person admin;
    Person member;

    @BeforeEach
    void organizationWithOneOfEach() {
        FakeServices.healthy();
        fixtures = new Fixtures(pool);
        org = fixtures.organization("Members");
        owner = fixtures.member(org, "owner");
        admin = fixtures.member(org, "admin");
        member = fixtures.member(org, "member");
    }

    String ownerToken() {
        return Fixtures.user(owner, org, "owner");
    }

    @Nested
    class ListMembers {

        @Test
        void everyRoleSeesEveryMemberWithEmailNameRoleAndJoined() {
            as(Fixtures.user(member, org, "member")).when().get("/v1/organizations/" + org + "/members")
                    .then().statusCode(200)
                    .body("members", hasSize(3))
                    .body("members.user_id", contains(owner.id(), admin.id(), member.id()))
                    .body("members.email", contains(owner.email(), admin.email(), member.email()))
                    .body("members.role", contains("owner", "admin", "member"))
                    .body("members[0].name", notNullValue())
                    .body("members[0].joined_at", notNullValue())
                    .body("next_cursor", nullValue());
        }

        @Test
        void pagesWithACursor() {
            String first = as(ownerToken()).queryParam("limit", 2).when().get("/v1/organizations/" + org + "/members")
                    .then().statusCode(200).body("members", hasSize(2)).body("next_cursor", notNullValue())
                    .extract().path("next_cursor");
            as(ownerToken()).queryParam("limit", 2).queryParam("cursor", first)
                    .when().get("/v1/organizations/" + org + "/members")
                    .then().statusCode(200).body("members.user_id", contains(member.id()))
                    .body("next_cursor", nullValue());
        }

        @Test
        void aBadLimitOrCursorIs400() {
            as(ownerToken()).queryParam("limit", 0).when().get("/v1/organizations/" + org + "/members")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(ownerToken()).queryParam("limit", "many").when().get("/v1/organizations/" + org + "/members")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(ownerToken()).queryParam("cursor", "forged").when().get("/v1/organizations/" + org + "/members")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void withoutTokenIs401() {
            given().when().get("/v1/organizations/" + org + "/members").then().statusCode(401);
        }
    }

    @Nested
    class ChangeRole {

        @Test
        void anAdminMakesAMemberAnAdmin() {
            as(Fixtures.user(admin, org, "admin")).body("{\"role\":\"admin\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + member.id())
                    .then().statusCode(200).body("role", equalTo("admin")).body("email", equalTo(member.email()));
            assertEquals("admin", fixtures.role(org, member.id()));
        }

        @Test
        void anOwnerMakesAnAdminAnOwner() {
            as(ownerToken()).body("{\"role\":\"owner\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + admin.id())
                    .then().statusCode(200).body("role", equalTo("owner"));
        }

        @Test
        void anAdminMayNotMakeOrUnmakeOwners() {
            as(Fixtures.user(admin, org, "admin")).body("{\"role\":\"owner\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + member.id())
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            as(Fixtures.user(admin, org, "admin")).body("{\"role\":\"member\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + owner.id())
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            assertEquals("owner", fixtures.role(org, owner.id()));
        }

        @Test
        void aMemberIs403() {
            as(Fixtures.user(member, org, "member")).body("{\"role\":\"member\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + admin.id())
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void notARoleIs400() {
            as(ownerToken()).body("{\"role\":\"superuser\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + member.id())
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(ownerToken()).body("{}")
                    .when().patch("/v1/organizations/" + org + "/members/" + member.id())
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void aStrangerIs404() {
            as(ownerToken()).body("{\"role\":\"admin\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + UUID.randomUUID())
                    .then().statusCode(404).body("code", equalTo("not_found"));
            as(ownerToken()).body("{\"role\":\"admin\"}")
                    .when().patch("/v1/organizations/" + org + "/members/not-a-uuid")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void theLastOwnerCannotStepDownIs409LastOwner() {
            as(ownerToken()).body("{\"role\":\"admin\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + owner.id())
                    .then().statusCode(409).body("code", equalTo("last_owner"));
            assertEquals("owner", fixtures.role(org, owner.id()));
        }

        @Test
        void withTwoOwnersOneMayStepDown() {
            Person second = fixtures.member(org, "owner");
            as(Fixtures.user(second, org, "owner")).body("{\"role\":\"admin\"}")
                    .when().patch("/v1/organizations/" + org + "/members/" + second.id())
                    .then().statusCode(200).body("role", equalTo("admin"));
            assertEquals(1, fixtures.owners(org));
        }
    }

    @Nested
    class Remove {

        @Test
        void anAdminRemovesAMemberWhoseSessionsEndThere() {
            as(Fixtures.user(admin, org, "admin")).when().delete("/v1/organizations/" + org + "/members/" + member.id())
                    .then().statusCode(204);
            assertNull(fixtures.role(org, member.id()));
            FakeServices.await(r -> r.path().equals("/internal/v1/sessions/end")
                    && r.body().contains("\"organization_id\":\"" + org + "\"")
                    && r.body().contains("\"user_id\":\"" + member.id() + "\""), Duration.ofSeconds(10));
        }

        @Test
        void anAdminMayNotRemoveAnOwner() {
            as(Fixtures.user(admin, org, "admin")).when().delete("/v1/organizations/" + org + "/members/" + owner.id())
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void aMemberMayNotRemoveAnyone() {
            as(Fixtures.user(member, org, "member")).when().delete("/v1/organizations/" + org + "/members/" + admin.id())
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void aStrangerIs404() {
            as(ownerToken()).when().delete("/v1/organizations/" + org + "/members/" + UUID.randomUUID())
                    .then().statusCode(404);
        }

        @Test
        void removingTheLastOwnerIs409() {
            Person second = fixtures.member(org, "owner");
            as(Fixtures.user(second, org, "owner")).when().delete("/v1/organizations/" + org + "/members/" + owner.id())
                    .then().statusCode(204);
            // now `second` is the only owner; removing themselves is leaving, and refused
            as(Fixtures.user(second, org, "owner")).when().delete("/v1/organizations/" + org + "/members/" + second.id())
                    .then().statusCode(409).body("code", equalTo("last_owner"));
        }
    }

    @Nested
    class Leave {

        @Test
        void aMemberLeavesAndTheirSessionsThereEnd() {
            as(Fixtures.user(member, org, "member")).when().delete("/v1/organizations/" + org + "/members/me")
                    .then().statusCode(204);
            assertNull(fixtures.role(org, member.id()));
            FakeServices.await(r -> r.path().equals("/internal/v1/sessions/end")
                    && r.body().contains("\"user_id\":\"" + member.id() + "\""), Duration.ofSeconds(10));
        }

        @Test
        void aPersonMayLeaveAnOrganizationOtherThanTheirActiveOne() {
            String home = fixtures.organization("home");
            fixtures.join(member, home, "owner");
            as(Fixtures.user(member, home, "owner")).when().delete("/v1/organizations/" + org + "/members/me")
                    .then().statusCode(204);
            assertNull(fixtures.role(org, member.id()));
        }

        @Test
        void theLastOwnerCannotLeave() {
            as(ownerToken()).when().delete("/v1/organizations/" + org + "/members/me")
                    .then().statusCode(409).body("code", equalTo("last_owner"));
        }

        @Test
        void anOrganizationTheCallerIsNotInIs404() {
            String other = fixtures.organization("other");
            as(ownerToken()).when().delete("/v1/organizations/" + other + "/members/me")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void anApiKeyCannotLeave() {
            as(Fixtures.key(org, "read_write")).when().delete("/v1/organizations/" + org + "/members/me")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }
    }

    /**
     * Two owners, and each tries at the same moment to stop being one. Without serialisation both would see
     * "another owner is left" and the organization would end with none. Exactly one may succeed.
     */
    @Nested
    class LastOwnerUnderConcurrency {

        @RepeatedTest(5)
        void twoOwnersSteppingDownAtOnceLeaveExactlyOneOwner() throws Exception {
            Person second = fixtures.member(org, "owner");
            List<Integer> statuses = race(
                    () -> as(Fixtures.user(owner, org, "owner")).body("{\"role\":\"member\"}")
                            .when().patch("/v1/organizations/" + org + "/members/" + owner.id()).statusCode(),
                    () -> as(Fixtures.user(second, org, "owner")).body("{\"role\":\"member\"}")
                            .when().patch("/v1/organizations/" + org + "/members/" + second.id()).statusCode());
            assertEquals(List.of(200, 409), statuses.stream().sorted().toList());
            assertEquals(1, fixtures.owners(org));
        }

        @RepeatedTest(5)
        void twoOwnersLeavingAtOnceLeaveExactlyOneOwner() throws Exception {
            Person second = fixtures.member(org, "owner");
            List<Integer> statuses = race(
                    () -> as(Fixtures.user(owner, org, "owner")).when()
                            .delete("/v1/organizations/" + org + "/members/me").statusCode(),
                    () -> as(Fixtures.user(second, org, "owner")).when()
                            .delete("/v1/organizations/" + org + "/members/me").statusCode());
            assertEquals(List.of(204, 409), statuses.stream().sorted().toList());
            assertEquals(1, fixtures.owners(org));
        }

        @Test
        void twoOwnersRemovingEachOtherAtOnceLeaveExactlyOneOwner() throws Exception {
            Person second = fixtures.member(org, "owner");
            List<Integer> statuses = race(
                    () -> as(Fixtures.user(owner, org, "owner")).when()
                            .delete("/v1/organizations/" + org + "/members/" + second.id()).statusCode(),
                    () -> as(Fixtures.user(second, org, "owner")).when()
                            .delete("/v1/organizations/" + org + "/members/" + owner.id()).statusCode());
            // The loser was removed by the winner a moment before: it is no longer an owner (403).
            assertEquals(List.of(204, 403), statuses.stream().sorted().toList());
            assertEquals(1, fixtures.owners(org));
        }

        @SafeVarargs
        private List<Integer> race(Supplier<Integer>... calls) throws Exception {
            CyclicBarrier start = new CyclicBarrier(calls.length);
            List<CompletableFuture<Integer>> running = new ArrayList<>();
            for (Supplier<Integer> call : calls) {
                running.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return call.get();
                }));
            }
            List<Integer> out = new ArrayList<>();
            for (CompletableFuture<Integer> future : running) {
                out.add(future.get());
            }
            return out;
        }
    }
}
