package dev.latchkey.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.webhook.repository.Notifications;
import dev.latchkey.webhook.service.EventStreams;
import dev.latchkey.webhook.testing.Org;
import dev.latchkey.webhook.testing.Senders;
import dev.latchkey.webhook.testing.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class EventResourceTest {

    @TestHTTPResource("/v1/webhook-events/stream")
    URL streamUrl;

    @Inject
    Notifications notifications;
    @Inject
    EventStreams streams;

    /** Waits until the stream just opened is registered: it reads from the position it started at on. */
    void awaitFollowing(String organization) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> streams.following(organization) > 0);
    }

    /** An organization with a stripe and a github provider, and a way to deliver to each. */
    static final class Inbox {
        final Org org = new Org();
        final String stripeSecret = org.provider("stripe", "stripe").getString("secret");
        final String githubSecret = org.provider("github", "github").getString("secret");

        String stripe(String id) {
            String body = Senders.body("stripe", id);
            return given().headers(Senders.sign("stripe", stripeSecret, body)).body(body).when().post(org.path("stripe"))
                    .then().statusCode(200).extract().path("id");
        }

        String github(String id) {
            String body = Senders.body("github", id);
            return given().headers(Senders.sign("github", githubSecret, body, Senders.now(), id)).body(body)
                    .when().post(org.path("github")).then().statusCode(200).extract().path("id");
        }
    }

    @Nested
    class List200 {

        @Test
        void eventsAreListedOldestFirstAndFilteredByProviderTypeAndTime() {
            Inbox inbox = new Inbox();
            inbox.stripe("evt_1");
            inbox.github("gh_1");
            OffsetDateTime between = OffsetDateTime.now();
            inbox.stripe("evt_2");
            JsonPath all = inbox.org.events("");
            assertEquals(List.of("evt_1", "gh_1", "evt_2"), all.getList("data.delivery_id"));
            assertEquals(List.of("evt_1", "evt_2"), inbox.org.events("provider=stripe").getList("data.delivery_id"));
            assertEquals(List.of("gh_1"), inbox.org.events("type=push").getList("data.delivery_id"));
            assertEquals(List.of("evt_2"), inbox.org.events("received_after=" + between.toInstant())
                    .getList("data.delivery_id"));
            assertEquals(List.of("evt_1", "gh_1"), inbox.org.events("received_before=" + between.toInstant())
                    .getList("data.delivery_id"));
        }

        @Test
        void pagesFollowTheCursorToTheEnd() {
            Inbox inbox = new Inbox();
            for (int i = 0; i < 5; i++) {
                inbox.stripe("evt_" + i);
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonPath page = inbox.org.events("limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
                seen.addAll(page.getList("data.delivery_id"));
                cursor = page.getString("next_cursor");
                pages++;
            } while (cursor != null && pages < 10);
            assertEquals(List.of("evt_0", "evt_1", "evt_2", "evt_3", "evt_4"), seen);
            assertEquals(3, pages);
        }

        @Test
        void anotherOrganizationsEventsAreNeverListed() {
            Inbox mine = new Inbox();
            Inbox theirs = new Inbox();
            mine.stripe("evt_mine");
            String theirId = theirs.stripe("evt_theirs");
            assertEquals(List.of("evt_mine"), mine.org.events("").getList("data.delivery_id"));
            given().auth().oauth2(mine.org.owner).when().get("/v1/webhook-events/" + theirId).then().statusCode(404);
            given().auth().oauth2(mine.org.owner).when().post("/v1/webhook-events/" + theirId + "/ack").then().statusCode(404);
        }
    }

    @Nested
    class Ack200 {

        @Test
        void acknowledgedEventsLeaveTheUnacknowledgedListAndKeepTheirFirstAckTime() {
            Inbox inbox = new Inbox();
            String first = inbox.stripe("evt_a");
            inbox.stripe("evt_b");
            String ackedAt = given().auth().oauth2(inbox.org.owner).when().post("/v1/webhook-events/" + first + "/ack")
                    .then().statusCode(200).body("acked_at", notNullValue()).extract().path("acked_at");
            given().auth().oauth2(inbox.org.owner).when().post("/v1/webhook-events/" + first + "/ack")
                    .then().statusCode(200).body("acked_at", equalTo(ackedAt));
            assertEquals(List.of("evt_b"), inbox.org.events("acked=false").getList("data.delivery_id"));
            assertEquals(List.of("evt_a"), inbox.org.events("acked=true").getList("data.delivery_id"));
        }
    }

    @Nested
    class Status4xx {

        @Test
        void badFiltersAre400AndNoTokenIs401() {
            Org org = new Org();
            given().auth().oauth2(org.owner).when().get("/v1/webhook-events?received_after=yesterday")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            given().auth().oauth2(org.owner).when().get("/v1/webhook-events?limit=1000").then().statusCode(400);
            given().auth().oauth2(org.owner).when().get("/v1/webhook-events?cursor=abc").then().statusCode(400);
            given().when().get("/v1/webhook-events").then().statusCode(401).body("code", equalTo("auth_required"));
            // Members read the inbox (the shared permission table) but may not acknowledge.
            given().auth().oauth2(org.member).when().get("/v1/webhook-events").then().statusCode(200);
            given().auth().oauth2(org.member).when().post("/v1/webhook-events/" + java.util.UUID.randomUUID() + "/ack")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            given().auth().oauth2(org.owner).when().post("/v1/webhook-events/nope/ack").then().statusCode(404);
            given().auth().oauth2(org.owner).header("Last-Event-ID", "not-a-position").when()
                    .get("/v1/webhook-events/stream").then().statusCode(400).body("code", equalTo("validation_failed"));
        }
    }

    @Nested
    class Stream {

        @Test
        void aStreamReceivesNewEventsLiveWithTheirSequenceAsId() throws Exception {
            Inbox inbox = new Inbox();
            inbox.stripe("evt_before");
            try (SseClient stream = new SseClient(streamUrl.toString(), inbox.org.owner, null)) {
                assertEquals(200, stream.status());
                awaitFollowing(inbox.org.id);
                inbox.stripe("evt_live_1");
                inbox.github("gh_live_2");
                List<SseClient.Event> events = stream.take(2, Duration.ofSeconds(10));
                assertEquals(2, events.size(), "events: " + events);
                assertEquals("webhook", events.get(0).name());
                JsonPath first = new JsonPath(events.get(0).data());
                assertEquals("evt_live_1", first.getString("delivery_id"));
                assertEquals("gh_live_2", new JsonPath(events.get(1).data()).getString("delivery_id"));
                assertTrue(events.get(0).id().matches("\\d+-\\d+"), events.get(0).id());
                assertTrue(!events.get(0).id().equals(events.get(1).id()));
            }
        }

        @Test
        void aBurstOfCommitsIsAnnouncedInFewNotificationsAndEveryEventIsStreamedLive() throws Exception {
            Inbox inbox = new Inbox();
            String organization = inbox.org.id;
            AtomicInteger announced = new AtomicInteger();
            notifications.onEvents(payload -> {
                if (payload.startsWith(organization + ":")) {
                    announced.incrementAndGet();
                }
            });
            try (SseClient stream = new SseClient(streamUrl.toString(), inbox.org.owner, null)) {
                assertEquals(200, stream.status());
                awaitFollowing(organization);
                int deliveries = 20;
                List<String> sent = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < deliveries; i++) {
                    // One at a time: every delivery is a commit of its own.
                    sent.add("evt_burst_" + i);
                    inbox.stripe(sent.get(i));
                }
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                List<SseClient.Event> got = stream.take(deliveries, Duration.ofSeconds(10));
                assertEquals(sent, got.stream().map(e -> new JsonPath(e.data()).getString("delivery_id")).toList(),
                        "every event reaches the stream (whose poll is 60 s away in tests), the last one included");
                // Tests space notifications 200 ms apart (application.properties): the burst may have had one at its
                // start, one per 200 ms during it, and one for its end.
                long allowed = Math.min(deliveries - 1, elapsedMillis / 200 + 2);
                assertTrue(announced.get() >= 1 && announced.get() <= allowed, "notifications are spaced: "
                        + announced.get() + " for " + deliveries + " commits in " + elapsedMillis + " ms");
            }
        }

        @Test
        void reconnectingWithLastEventIdResumesWithoutLossOrRepeat() throws Exception {
            Inbox inbox = new Inbox();
            String lastSeen;
            try (SseClient stream = new SseClient(streamUrl.toString(), inbox.org.owner, "0")) {
                assertEquals(200, stream.status());
                inbox.stripe("evt_1");
                List<SseClient.Event> got = stream.take(1, Duration.ofSeconds(10));
                assertEquals(1, got.size());
                lastSeen = got.get(0).id();
            }
            // Disconnected: these happen while nobody listens.
            inbox.stripe("evt_2");
            inbox.stripe("evt_3");
            try (SseClient resumed = new SseClient(streamUrl.toString(), inbox.org.owner, lastSeen)) {
                List<SseClient.Event> got = resumed.take(2, Duration.ofSeconds(10));
                assertEquals(List.of("evt_2", "evt_3"),
                        got.stream().map(e -> new JsonPath(e.data()).getString("delivery_id")).toList());
                assertTrue(resumed.take(1, Duration.ofMillis(500)).isEmpty(), "nothing repeated");
            }
        }

        @Test
        void aStreamSeesOnlyItsOrganization() throws Exception {
            Inbox mine = new Inbox();
            Inbox theirs = new Inbox();
            try (SseClient stream = new SseClient(streamUrl.toString(), mine.org.owner, null)) {
                assertEquals(200, stream.status());
                awaitFollowing(mine.org.id);
                theirs.stripe("evt_theirs");
                mine.stripe("evt_mine");
                List<SseClient.Event> got = stream.take(2, Duration.ofSeconds(3));
                assertEquals(List.of("evt_mine"),
                        got.stream().map(e -> new JsonPath(e.data()).getString("delivery_id")).toList());
            }
        }

        @Test
        void withoutATokenTheStreamIs401() {
            given().accept("text/event-stream").when().get("/v1/webhook-events/stream").then().statusCode(401)
                    .body("code", equalTo("auth_required"));
        }
    }

}
