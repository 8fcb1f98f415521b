package dev.latchkey.identity.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(MailServer.class)
class SessionPurgeTest {

    @Inject
    Pool pool;

    @Inject
    SessionPurge purge;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    private long tokens(SignedIn who) {
        return pool.preparedQuery("select count(*) from identity.refresh_tokens where session_id = $1")
                .execute(Tuple.of(UUID.fromString(who.sessionId()))).await().indefinitely().iterator().next().getLong(0);
    }

    private boolean sessionExists(SignedIn who) {
        return pool.preparedQuery("select 1 from identity.sessions where id = $1")
                .execute(Tuple.of(UUID.fromString(who.sessionId()))).await().indefinitely().size() == 1;
    }

    private void sql(String statement, SignedIn who) {
        pool.preparedQuery(statement).execute(Tuple.of(UUID.fromString(who.sessionId()))).await().indefinitely();
    }

    /** Gives a session {@code n} first-form token rows (sessions that started before tokens named their session). */
    private void firstFormTokens(SignedIn who, int n) {
        sql("insert into identity.refresh_tokens (token_hash, session_id, created_at, rotated_at)"
                + " select md5(random()::text || g), $1, now(), case when g < " + n + " then now() end"
                + " from generate_series(1, " + n + ") g", who);
    }

    @Test
    void tokensOfSessionsThatCanNoLongerRefreshGoAndOldSessionsGoAfterTheirRetention() {
        // Live, with two rotations behind it: all three tokens stay (a replay of a rotated one must still end it).
        SignedIn live = People.signedIn();
        firstFormTokens(live, 3);
        // Ended by logout, expired by its lifetime, and one that ended 40 days ago.
        SignedIn loggedOut = People.signedIn();
        firstFormTokens(loggedOut, 2);
        given().header("Authorization", loggedOut.bearer()).when().post("/v1/auth/logout").then().statusCode(204);
        SignedIn expired = People.signedIn();
        firstFormTokens(expired, 1);
        sql("update identity.sessions set expires_at = now() - interval '1 minute' where id = $1", expired);
        SignedIn ancient = People.signedIn();
        firstFormTokens(ancient, 1);
        sql("update identity.sessions set ended_at = now() - interval '40 days', end_reason = 'logout',"
                + " expires_at = now() - interval '40 days' where id = $1", ancient);

        SessionPurge.Purged purged = purge.purge().await().indefinitely();

        assertTrue(purged.refreshTokens() >= 4, "at least the logged-out (2), expired (1) and ancient (1) tokens: " + purged);
        assertTrue(purged.sessions() >= 1, purged.toString());
        assertEquals(3, tokens(live));
        assertEquals(0, tokens(loggedOut));
        assertEquals(0, tokens(expired));
        assertTrue(sessionExists(loggedOut), "an ended session is kept for its retention");
        assertTrue(sessionExists(expired));
        assertTrue(!sessionExists(ancient), "a session ended 40 days ago is deleted");
        // Sessions whose tokens name them keep no token rows: the live one refreshes on.
        People.refresh(live.refreshToken()).statusCode(200);
        People.refresh(loggedOut.refreshToken()).statusCode(401).body("code", equalTo("session_ended"));
    }

    @Test
    void aBacklogLargerThanOneSliceIsPurgedInOneRun() {
        SignedIn gone = People.signedIn();
        int backlog = 2 * SessionPurge.SLICE + 17;
        sql("insert into identity.refresh_tokens (token_hash, session_id, created_at, rotated_at)"
                + " select md5(random()::text || g), $1, now(), now() from generate_series(1, " + backlog + ") g", gone);
        given().header("Authorization", gone.bearer()).when().post("/v1/auth/logout").then().statusCode(204);

        SessionPurge.Purged purged = purge.purge().await().indefinitely();

        assertTrue(purged.refreshTokens() >= backlog, purged.toString());
        assertEquals(0, tokens(gone));
    }
}
