package dev.latchkey.tenant.rest;

import static dev.latchkey.tenant.rest.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.Revocations;
import dev.latchkey.tenant.rest.Fixtures.Person;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Every change of memberships is published on the revocation channel once committed (before the request answers,
 * and again through the outbox), so
 * identity-service's cache of memberships, read at every refresh, drops it. Heard here on Redis itself.
 */
@QuarkusTest
class MembershipChangesTest {

    @Inject
    Pool pool;
    @Inject
    ReactiveRedisDataSource redis;

    final List<String> heard = new CopyOnWriteArrayList<>();
    ReactiveRedisSubscriber subscriber;
    Fixtures fixtures;
    String org;
    Person owner;
    Person member;

    @BeforeEach
    void listen() {
        FakeServices.healthy();
        subscriber = redis.pubsub(String.class).subscribe(Revocations.CHANNEL, heard::add).await()
                .atMost(Duration.ofSeconds(5));
        fixtures = new Fixtures(pool);
        org = fixtures.organization("Changes");
        owner = fixtures.member(org, "owner");
        member = fixtures.member(org, "member");
    }

    @AfterEach
    void stop() {
        subscriber.unsubscribe().await().atMost(Duration.ofSeconds(5));
    }

    String owner() {
        return Fixtures.user(owner, org, "owner");
    }

    @Test
    void aRoleChangeIsPublishedForThatUser() throws Exception {
        as(owner()).body("{\"role\":\"admin\"}").when().patch("/v1/organizations/" + org + "/members/" + member.id())
                .then().statusCode(200);
        await("member user:" + member.id() + " 0");
    }

    @Test
    void aRemovalIsPublishedForThatUser() throws Exception {
        as(owner()).when().delete("/v1/organizations/" + org + "/members/" + member.id()).then().statusCode(204);
        await("member user:" + member.id() + " 0");
    }

    @Test
    void aNewOrganizationIsPublishedForItsOwner() throws Exception {
        as(owner()).body("{\"name\":\"Second\"}").when().post("/v1/organizations").then().statusCode(201);
        await("member user:" + owner.id() + " 0");
    }

    @Test
    void aRenameOrDeletionIsPublishedForTheOrganization() throws Exception {
        as(owner()).body("{\"name\":\"Renamed\"}").when().patch("/v1/organizations/" + org).then().statusCode(200);
        await("member organization:" + org + " 0");
        heard.clear();
        as(owner()).when().delete("/v1/organizations/" + org).then().statusCode(204);
        await("member organization:" + org + " 0");
    }

    @Test
    void aRefusedChangePublishesNothing() throws Exception {
        // The last owner cannot become a member (409): nothing changed, nothing to drop.
        as(owner()).body("{\"role\":\"member\"}").when().patch("/v1/organizations/" + org + "/members/" + owner.id())
                .then().statusCode(409);
        // Only this organization and its people count: the channel also carries other tests' changes, which the
        // outbox publishes a second time and may still be delivering now. Nothing of ours may arrive for longer
        // than the outbox's poll interval: proving an absence takes that long, whatever the wait looks like.
        List<String> ours = List.of("member user:" + owner.id() + " ", "member user:" + member.id() + " ",
                "member organization:" + org + " ");
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertTrue(heard.stream().noneMatch(m -> ours.stream().anyMatch(m::startsWith)),
                        heard.toString()));
    }

    void await(String message) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertTrue(heard.contains(message),
                        "expected " + message + " on " + Revocations.CHANNEL + ", heard " + heard));
    }
}
