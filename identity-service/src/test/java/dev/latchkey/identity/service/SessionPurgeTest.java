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

    private boolean sessionExists(SignedIn who) {
        return pool.preparedQuery("select 1 from identity.sessions where id = $1")
                .execute(Tuple.of(UUID.fromString(who.sessionId()))).await().indefinitely().size() == 1;
    }

    private void sql(String statement, SignedIn who) {
        pool.preparedQuery(statement).execute(Tuple.of(UUID.fromString(who.sessionId()))).await().indefinitely();
    }

    @Test
    void oldSessionsGoAfterTheirRetentionAndOthersStay() {
        SignedIn live = People.signedIn();
        // Ended by logout, expired by its lifetime, and one that ended 40 days ago.
        SignedIn loggedOut = People.signedIn();
        given().header("Authorization", loggedOut.bearer()).when().post("/v1/auth/logout").then().statusCode(204);
        SignedIn expired = People.signedIn();
        sql("update identity.sessions set expires_at = now() - interval '1 minute' where id = $1", expired);
        SignedIn ancient = People.signedIn();
        sql("update identity.sessions set ended_at = now() - interval '40 days', end_reason = 'logout',"
                + " expires_at = now() - interval '40 days' where id = $1", ancient);

        SessionPurge.Purged purged = purge.purge().await().indefinitely();

        assertTrue(purged.sessions() >= 1, purged.toString());
        assertTrue(sessionExists(live));
        assertTrue(sessionExists(loggedOut), "an ended session is kept for its retention");
        assertTrue(sessionExists(expired));
        assertTrue(!sessionExists(ancient), "a session ended 40 days ago is deleted");
        People.refresh(live.refreshToken()).statusCode(200);
        People.refresh(loggedOut.refreshToken()).statusCode(401).body("code", equalTo("session_ended"));
    }

    @Test
    void aBacklogLargerThanOneSliceIsPurgedInOneRun() {
        SignedIn gone = People.signedIn();
        int backlog = 2 * SessionPurge.SLICE + 17;
        sql("insert into identity.sessions (user_id, created_at, last_used_at, expires_at, last_token_expires_at,"
                + " ended_at, end_reason) select user_id, now() - interval '41 days', now() - interval '41 days',"
                + " now() - interval '40 days', now() - interval '40 days', now() - interval '40 days', 'logout'"
                + " from identity.sessions s, generate_series(1, " + backlog + ") g where s.id = $1", gone);

        SessionPurge.Purged purged = purge.purge().await().indefinitely();

        assertTrue(purged.sessions() >= backlog, purged.toString());
        assertEquals(0, pool.preparedQuery("select count(*) from identity.sessions s join identity.sessions o"
                + " on o.user_id = s.user_id where s.id = $1 and o.ended_at < now() - interval '30 days'")
                .execute(Tuple.of(UUID.fromString(gone.sessionId()))).await().indefinitely().iterator().next()
                .getLong(0));
        assertTrue(sessionExists(gone));
    }
}
