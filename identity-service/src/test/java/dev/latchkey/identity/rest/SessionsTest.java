package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.Revocations;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(MailServer.class)
class SessionsTest {

    @Inject
    Pool pool;

    @Inject
    dev.latchkey.identity.repository.SessionRepository sessionRows;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    static int me(String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken).when().get("/v1/me").then().extract().statusCode();
    }

    @Nested
    class Refresh {

        @Test
        void everyRefreshRotatesTheTokenAndIssuesAFreshAccessToken() throws Exception {
            SignedIn ada = People.signedIn();
            var first = People.refresh(ada.refreshToken()).statusCode(200).header("Cache-Control", "no-store")
                    .extract().jsonPath();
            assertNotEquals(ada.refreshToken(), first.getString("refresh_token"));
            assertEquals(ada.sessionId(), first.getString("session_id"));
            JwtClaims claims = IdentityTokens.verify(first.getString("access_token"));
            assertEquals(ada.sessionId(), claims.getStringClaimValue("sid"));
            // The rotated token chains on.
            People.refresh(first.getString("refresh_token")).statusCode(200);
        }

        @Test
        void aRotatedTokenPresentedAgainEndsTheWholeSession() throws Exception {
            SignedIn ada = People.signedIn();
            String next = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            // Past the grace window: a replay of a stolen token.
            pastTheGraceWindow(ada);
            People.refresh(ada.refreshToken()).statusCode(401).body("code", equalTo("refresh_token_reused"));
            // The legitimate holder's newer token is dead too, and so are the session's access tokens.
            People.refresh(next).statusCode(401).body("code", equalTo("session_ended"));
            assertEquals(401, me(ada.accessToken()));
        }

        /** Moves the session's last rotation a minute back, out of the (5 s) grace window. */
        void pastTheGraceWindow(SignedIn who) {
            pool.preparedQuery("update identity.sessions set refreshed_at = now() - interval '1 minute' where id = $1")
                    .execute(Tuple.of(UUID.fromString(who.sessionId()))).await().indefinitely();
        }

        @Test
        void aTokenTwoOrMoreRotationsOldEndsTheSessionEvenWithinTheGraceWindow() {
            SignedIn ada = People.signedIn();
            String second = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            People.refresh(second).statusCode(200);
            People.refresh(ada.refreshToken()).statusCode(401).body("code", equalTo("refresh_token_reused"));
            assertEquals(401, me(ada.accessToken()));
        }

        @Test
        void aForgedTokenNamingARealSessionIsUnknownAndLeavesTheSessionAlone() {
            // The sid claim of an access token names the session; a token made up around it must not end it.
            SignedIn ada = People.signedIn();
            People.refresh(ada.refreshToken()).statusCode(200);
            UUID sid = UUID.fromString(ada.sessionId());
            for (int generation : new int[] { 0, 1, 2 }) {
                java.nio.ByteBuffer forged = java.nio.ByteBuffer.allocate(68);
                forged.putLong(sid.getMostSignificantBits()).putLong(sid.getLeastSignificantBits()).putInt(generation);
                String token = "lkr_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged.array());
                People.refresh(token).statusCode(401).body("code", equalTo("invalid_refresh_token"));
                given().contentType(ContentType.JSON).body(java.util.Map.of("refresh_token", token))
                        .when().post("/v1/auth/logout").then().statusCode(401);
            }
            // A real token with one character changed (its MAC no longer holds) is no better.
            String real = ada.refreshToken();
            String edited = real.substring(0, 40) + (real.charAt(40) == 'A' ? 'B' : 'A') + real.substring(41);
            People.refresh(edited).statusCode(401).body("code", equalTo("invalid_refresh_token"));
            assertEquals(200, me(ada.accessToken()), "the session is still up");
        }

        @Test
        void aDoubleSendWithinTheGraceWindowIsTolerated() {
            SignedIn ada = People.signedIn();
            People.refresh(ada.refreshToken()).statusCode(200);
            People.refresh(ada.refreshToken()).statusCode(200);
            assertEquals(200, me(ada.accessToken()));
        }

        @Test
        void hibernateWritingAStaleCopyOfTheSessionDoesNotPutTheRotatedTokenBack() throws Throwable {
            // A request that loaded the session before a refresh and writes it after (an end, a switch) must not
            // restore the token the refresh rotated: the refresh state is written by RefreshRotations only.
            SignedIn ada = People.signedIn();
            UUID sid = UUID.fromString(ada.sessionId());
            dev.latchkey.identity.domain.Session stale = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                    () -> io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> sessionRows.findById(sid)));
            String next = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            stale.userAgent = "written by an older request";
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                    .withTransaction(() -> io.quarkus.hibernate.reactive.panache.Panache.getSession()
                            .flatMap(s -> s.merge(stale))));
            People.refresh(next).statusCode(200);
        }

        @Test
        void aRetriedRefreshWhoseAnswerWasLostGoesOnWithTheRetrysToken() {
            SignedIn ada = People.signedIn();
            String lost = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            String retried = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            assertNotEquals(lost, retried);
            String next = People.refresh(retried).statusCode(200).extract().path("refresh_token");
            People.refresh(next).statusCode(200);
            assertEquals(200, me(ada.accessToken()));
        }

        @Test
        void aRefreshThatFailsAfterItsRotationLeavesThePresentedTokenForTheRetry() {
            // tenant-service is down and this user's memberships are not cached: the rotation is committed before
            // the role can be read, so its new token reaches nobody. The client retries with the token it has,
            // later than the grace window, and must not be taken for a thief.
            SignedIn ada = People.signedIn();
            FakeTenant.changed(ada.userId());
            FakeLatchkey.on("GET", "/internal/v1/users/*", r -> new FakeLatchkey.Response(503, "{\"code\":\"down\"}"));
            People.refresh(ada.refreshToken()).statusCode(503).body("code", equalTo("dependency_unavailable"));
            pastTheGraceWindow(ada);
            FakeTenant.install();
            String retried = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            assertEquals(200, me(ada.accessToken()), "the session is up");
            // The next rotation ends the hold: the token it rotated, presented past the grace window, is a replay.
            People.refresh(retried).statusCode(200);
            pastTheGraceWindow(ada);
            People.refresh(retried).statusCode(401).body("code", equalTo("refresh_token_reused"));
        }

        @Test
        void aSessionWhoseOrganizationTheUserLeftRefreshesIntoTheirPersonalOne() throws Exception {
            SignedIn ada = People.signedIn();
            String personal = ada.tokens().getString("organization.id");
            String team = FakeTenant.join(ada.userId(), "Team", "admin");
            given().header("Authorization", ada.bearer()).contentType(ContentType.JSON)
                    .body("{\"organization_id\":\"" + team + "\"}").when().post("/v1/auth/switch-org")
                    .then().statusCode(200);
            FakeTenant.leave(ada.userId(), team);
            String token = People.refresh(ada.refreshToken()).statusCode(200).body("organization.id", equalTo(personal))
                    .extract().path("access_token");
            assertEquals(personal, IdentityTokens.verify(token).getStringClaimValue("tenant_id"));
            UUID stored = pool.preparedQuery("select organization_id from identity.sessions where id = $1")
                    .execute(Tuple.of(UUID.fromString(ada.sessionId()))).await().indefinitely().iterator().next()
                    .getUUID(0);
            assertEquals(UUID.fromString(personal), stored, "the session acts in the personal organization from now on");
        }

        /**
         * Sends racing on one token within the grace window all succeed, but they do not fork the session: once one
         * of the tokens they got has been rotated, any other of them is a replay (RFC 9700 §4.14), as a token an
         * attacker raced the client for would be.
         */
        @Test
        void refreshesRacingOnOneTokenWithinTheGraceWindowDoNotForkTheSession() throws Exception {
            SignedIn ada = People.signedIn();
            int racers = 8;
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(racers);
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return People.refresh(ada.refreshToken()).statusCode(200).extract().<String>path("refresh_token");
                    }));
                }
                start.countDown();
                java.util.Set<String> fresh = new java.util.HashSet<>();
                for (var result : results) {
                    fresh.add(result.get());
                }
                assertEquals(racers, fresh.size(), "each refresh got a token of its own");
                assertEquals(200, me(ada.accessToken()), "the session is still up");
                String continued = null;
                for (String token : fresh) {
                    if (People.refresh(token).extract().statusCode() == 200) {
                        continued = token;
                        break;
                    }
                }
                assertNotNull(continued, "the session goes on with one of the tokens");
                pastTheGraceWindow(ada);
                String goesOn = continued;
                String other = fresh.stream().filter(t -> !t.equals(goesOn)).findFirst().orElseThrow();
                People.refresh(other).statusCode(401).body("code", equalTo("refresh_token_reused"));
                assertEquals(401, me(ada.accessToken()), "the session is ended");
            } finally {
                threads.shutdownNow();
            }
        }

        /**
         * Concurrent refreshes share statements (RefreshRotations batches them): each still gets its own verdict.
         * Half the sessions present their current token, the other half replay a token rotated past the grace
         * window, all at once: the replays end their own sessions only, the others rotate and chain on.
         */
        @Test
        void refreshesSharingABatchEachGetTheirOwnVerdict() throws Exception {
            int pairs = 12;
            List<SignedIn> honest = new java.util.ArrayList<>();
            List<SignedIn> replayed = new java.util.ArrayList<>();
            List<String> current = new java.util.ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                honest.add(People.signedIn());
                SignedIn victim = People.signedIn();
                People.refresh(victim.refreshToken()).statusCode(200);
                pastTheGraceWindow(victim);
                replayed.add(victim);
            }
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2 * pairs);
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<io.restassured.response.ExtractableResponse<?>>> honestResults =
                        new java.util.ArrayList<>();
                List<java.util.concurrent.Future<io.restassured.response.ExtractableResponse<?>>> replayResults =
                        new java.util.ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    SignedIn h = honest.get(i);
                    SignedIn r = replayed.get(i);
                    honestResults.add(threads.submit(() -> {
                        start.await();
                        return People.refresh(h.refreshToken()).extract();
                    }));
                    replayResults.add(threads.submit(() -> {
                        start.await();
                        return People.refresh(r.refreshToken()).extract();
                    }));
                }
                start.countDown();
                for (int i = 0; i < pairs; i++) {
                    var h = honestResults.get(i).get();
                    assertEquals(200, h.statusCode(), h.asString());
                    current.add(h.path("refresh_token"));
                    var r = replayResults.get(i).get();
                    assertEquals(401, r.statusCode(), r.asString());
                    assertEquals("refresh_token_reused", r.path("code"));
                }
            } finally {
                threads.shutdownNow();
            }
            for (int i = 0; i < pairs; i++) {
                People.refresh(current.get(i)).statusCode(200);
                assertEquals(200, me(honest.get(i).accessToken()), "an honest session is still up");
                assertEquals(401, me(replayed.get(i).accessToken()), "a replayed session is ended");
            }
        }

        @Test
        void aTokenOfASessionEndedMeanwhileIsRefused() {
            SignedIn ada = People.signedIn();
            String next = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            given().header("Authorization", ada.bearer()).when().post("/v1/auth/logout").then().statusCode(204);
            People.refresh(next).statusCode(401).body("code", equalTo("session_ended"));
            People.refresh(ada.refreshToken()).statusCode(401).body("code", equalTo("session_ended"));
        }

        @Test
        void pastTheSessionsLifetimeRefreshIs401SessionExpired() {
            SignedIn ada = People.signedIn();
            pool.preparedQuery("update identity.sessions set expires_at = now() - interval '1 second' where id = $1")
                    .execute(Tuple.of(UUID.fromString(ada.sessionId()))).await().indefinitely();
            People.refresh(ada.refreshToken()).statusCode(401).body("code", equalTo("session_expired"));
        }

        @Test
        void theRoleIsReadAgainAtEveryRefresh() throws Exception {
            SignedIn ada = People.signedIn();
            String org = ada.tokens().getString("organization.id");
            FakeTenant.setRole(ada.userId(), org, "member");
            String token = People.refresh(ada.refreshToken()).statusCode(200).extract().path("access_token");
            assertEquals(List.of("member"), IdentityTokens.verify(token).getStringListClaimValue("roles"));
        }

        @Test
        void membershipsComeFromACacheThatTenantServicesChangesEmpty() throws Exception {
            Revocations revocations = io.quarkus.arc.Arc.container().instance(Revocations.class).get();
            Awaitility.await("the revocation subscription is trusted").atMost(java.time.Duration.ofSeconds(10))
                    .pollInterval(java.time.Duration.ofMillis(20)).until(revocations::trusted);
            SignedIn ada = People.signedIn();
            String org = ada.tokens().getString("organization.id");
            String next = People.refresh(ada.refreshToken()).statusCode(200).extract().path("refresh_token");
            long asked = membershipReads(ada.userId());
            next = People.refresh(next).statusCode(200).extract().path("refresh_token");
            assertEquals(asked, membershipReads(ada.userId()), "a second refresh did not ask tenant-service");

            FakeTenant.setRole(ada.userId(), org, "member"); // published, as tenant-service does
            var changed = People.refresh(next).statusCode(200).extract().jsonPath();
            assertEquals(List.of("member"), IdentityTokens.verify(changed.getString("access_token"))
                    .getStringListClaimValue("roles"));
            assertEquals(asked + 1, membershipReads(ada.userId()), "asked again after the change");

            // An organization renamed or deleted empties every entry naming it.
            revocations.publishMembershipChanged("organization " + org).await().atMost(java.time.Duration.ofSeconds(10));
            People.refresh(changed.getString("refresh_token")).statusCode(200);
            assertEquals(asked + 2, membershipReads(ada.userId()));
        }

        long membershipReads(String userId) {
            return dev.latchkey.testing.FakeLatchkey.received().stream()
                    .filter(r -> r.path().equals("/internal/v1/users/" + userId + "/memberships")).count();
        }

        @Test
        void anUnknownOrMalformedTokenIs401() {
            People.refresh("lkr_" + "x".repeat(43)).statusCode(401).body("code", equalTo("invalid_refresh_token"));
            People.refresh("lkr_" + "x".repeat(91)).statusCode(401).body("code", equalTo("invalid_refresh_token"));
            People.refresh("lkr_" + "*".repeat(91)).statusCode(401).body("code", equalTo("invalid_refresh_token"));
            People.refresh("garbage").statusCode(401).body("code", equalTo("invalid_refresh_token"));
        }

        @Test
        void aMissingTokenIs400() {
            given().contentType(ContentType.JSON).body("{}").when().post("/v1/auth/refresh")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }
    }

    @Nested
    class Logout {

        @Test
        void loggingOutRefusesTheSessionsAccessTokensAtOnce() {
            SignedIn ada = People.signedIn();
            assertEquals(200, me(ada.accessToken()));
            given().header("Authorization", ada.bearer()).when().post("/v1/auth/logout").then().statusCode(204);
            given().header("Authorization", ada.bearer()).when().get("/v1/me")
                    .then().statusCode(401).body("code", equalTo("auth_required"));
            People.refresh(ada.refreshToken()).statusCode(401).body("code", equalTo("session_ended"));
        }

        @Test
        void logoutWithTheRefreshTokenAlsoWorks() {
            SignedIn ada = People.signedIn();
            given().contentType(ContentType.JSON).body("{\"refresh_token\":\"" + ada.refreshToken() + "\"}")
                    .when().post("/v1/auth/logout").then().statusCode(204);
            assertEquals(401, me(ada.accessToken()));
        }

        @Test
        void logoutWithoutAnythingIs401() {
            given().when().post("/v1/auth/logout").then().statusCode(401).body("code", equalTo("auth_required"));
        }

        @Test
        void otherSessionsOfTheUserStayUp() {
            SignedIn phone = People.signedIn();
            SignedIn laptop = People.again(phone);
            given().header("Authorization", phone.bearer()).when().post("/v1/auth/logout").then().statusCode(204);
            assertEquals(200, me(laptop.accessToken()));
        }
    }

    @Nested
    class SessionList {

        @Test
        void aUserSeesTheirSessionsWithDeviceAndAddressAndTheCurrentOne() {
            SignedIn phone = People.signedIn();
            People.again(phone);
            given().header("Authorization", phone.bearer()).when().get("/v1/sessions")
                    .then().statusCode(200)
                    .body("sessions", hasSize(2))
                    .body("sessions.find { it.id == '" + phone.sessionId() + "' }.current", equalTo(true))
                    .body("sessions[0].address", equalTo("127.0.0.1"));
        }

        @Test
        void endingOneSessionRefusesItsTokens() {
            SignedIn phone = People.signedIn();
            SignedIn laptop = People.again(phone);
            given().header("Authorization", phone.bearer()).when().delete("/v1/sessions/" + laptop.sessionId())
                    .then().statusCode(204);
            assertEquals(401, me(laptop.accessToken()));
            assertEquals(200, me(phone.accessToken()));
        }

        @Test
        void anotherUsersSessionIs404() {
            SignedIn ada = People.signedIn();
            SignedIn bob = People.signedIn();
            given().header("Authorization", ada.bearer()).when().delete("/v1/sessions/" + bob.sessionId())
                    .then().statusCode(404).body("code", equalTo("not_found"));
            assertEquals(200, me(bob.accessToken()));
        }

        @Test
        void signingOutEverywhereEndsEverySession() {
            SignedIn phone = People.signedIn();
            SignedIn laptop = People.again(phone);
            given().header("Authorization", phone.bearer()).when().delete("/v1/sessions")
                    .then().statusCode(200).body("ended", equalTo(2));
            assertEquals(401, me(laptop.accessToken()));
            assertEquals(401, me(phone.accessToken()));
        }

        @Test
        void anApiKeyCannotListSessions() {
            String keyToken = TestTokens.access(UUID.randomUUID().toString()).issuer(IdentityTokens.ISSUER).sign();
            given().header("Authorization", "Bearer " + keyToken).when().get("/v1/sessions")
                    .then().statusCode(401);
        }
    }

    @Nested
    class SwitchOrganization {

        @Test
        void aMemberOfSeveralOrganizationsSwitchesWithoutSigningInAgain() throws Exception {
            SignedIn ada = People.signedIn();
            String team = FakeTenant.join(ada.userId(), "Team", "admin");
            var switched = given().header("Authorization", ada.bearer()).contentType(ContentType.JSON)
                    .body("{\"organization_id\":\"" + team + "\"}").when().post("/v1/auth/switch-org")
                    .then().statusCode(200).body("organization.id", equalTo(team)).body("organization.role", equalTo("admin"))
                    .extract().jsonPath();
            JwtClaims claims = IdentityTokens.verify(switched.getString("access_token"));
            assertEquals(team, claims.getStringClaimValue("tenant_id"));
            assertEquals(List.of("admin"), claims.getStringListClaimValue("roles"));
            assertEquals(ada.sessionId(), claims.getStringClaimValue("sid"));
            // The session now refreshes into the new organization.
            String refreshed = People.refresh(ada.refreshToken()).statusCode(200).extract().path("access_token");
            assertEquals(team, IdentityTokens.verify(refreshed).getStringClaimValue("tenant_id"));
        }

        @Test
        void anOrganizationTheUserDoesNotBelongToIs404() {
            SignedIn ada = People.signedIn();
            SignedIn bob = People.signedIn();
            String bobs = bob.tokens().getString("organization.id");
            given().header("Authorization", ada.bearer()).contentType(ContentType.JSON)
                    .body("{\"organization_id\":\"" + bobs + "\"}").when().post("/v1/auth/switch-org")
                    .then().statusCode(404).body("code", equalTo("not_found"));
            given().header("Authorization", ada.bearer()).contentType(ContentType.JSON)
                    .body("{\"organization_id\":\"not-a-uuid\"}").when().post("/v1/auth/switch-org")
                    .then().statusCode(404);
        }
    }

    @Nested
    class Passwords {

        @Test
        void changingThePasswordEndsEveryOtherSession() {
            SignedIn phone = People.signedIn();
            SignedIn laptop = People.again(phone);
            String next = "a brand new passphrase 77";
            given().header("Authorization", phone.bearer()).contentType(ContentType.JSON)
                    .body("{\"current_password\":\"" + People.PASSWORD + "\",\"new_password\":\"" + next + "\"}")
                    .when().post("/v1/auth/password").then().statusCode(200).body("ended", equalTo(1));
            assertEquals(401, me(laptop.accessToken()));
            assertEquals(200, me(phone.accessToken()));
            People.login(phone.email(), People.PASSWORD).statusCode(401);
            People.login(phone.email(), next).statusCode(200);
        }

        @Test
        void aWrongCurrentPasswordIs401() {
            SignedIn ada = People.signedIn();
            given().header("Authorization", ada.bearer()).contentType(ContentType.JSON)
                    .body("{\"current_password\":\"wrong wrong wrong\",\"new_password\":\"a brand new passphrase 77\"}")
                    .when().post("/v1/auth/password").then().statusCode(401).body("code", equalTo("invalid_credentials"));
        }

        @Test
        void aResetByMailSetsThePasswordAndEndsEverySession() {
            SignedIn ada = People.signedIn();
            given().contentType(ContentType.JSON).body("{\"email\":\"" + ada.email() + "\"}")
                    .when().post("/v1/auth/password-reset").then().statusCode(202);
            String token = MailServer.token(MailServer.awaitMail(ada.email(), "Reset your password"));
            String next = "reset to this passphrase 31";
            given().contentType(ContentType.JSON).body("{\"token\":\"" + token + "\",\"new_password\":\"" + next + "\"}")
                    .when().post("/v1/auth/password-reset/confirm").then().statusCode(200).body("ended", equalTo(1));
            assertEquals(401, me(ada.accessToken()));
            People.login(ada.email(), next).statusCode(200).body("user.email_verified", equalTo(true));
            // Single use.
            given().contentType(ContentType.JSON).body("{\"token\":\"" + token + "\",\"new_password\":\"" + next + "x\"}")
                    .when().post("/v1/auth/password-reset/confirm").then().statusCode(400).body("code", equalTo("invalid_token"));
        }

        @Test
        void aResetForAnUnknownAddressAnswersTheSameAndSendsNothing() {
            String nobody = People.newEmail();
            given().contentType(ContentType.JSON).body("{\"email\":\"" + nobody + "\"}")
                    .when().post("/v1/auth/password-reset").then().statusCode(202);
            assertTrue(MailServer.messagesTo(nobody).isEmpty());
        }
    }
}
