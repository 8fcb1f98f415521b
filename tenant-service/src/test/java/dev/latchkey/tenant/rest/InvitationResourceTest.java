package dev.latchkey.tenant.rest;

import static dev.latchkey.tenant.rest.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.tenant.rest.Fixtures.Person;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class InvitationResourceTest {

    static final Duration MAIL = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    Fixtures fixtures;
    String org;
    Person owner;
    Person admin;

    @BeforeEach
    void organization() {
        FakeServices.healthy();
        SmtpServer.up();
        fixtures = new Fixtures(pool);
        org = fixtures.organization("Inviting Co");
        owner = fixtures.member(org, "owner");
        admin = fixtures.member(org, "admin");
    }

    @AfterEach
    void smtpBack() {
        SmtpServer.up();
    }

    static String freshAddress() {
        return "invitee-" + UUID.randomUUID().toString().substring(0, 12) + "@example.test";
    }

    String invite(String token, String email, String role) {
        return as(token).body("{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}")
                .when().post("/v1/organizations/" + org + "/invitations")
                .then().statusCode(201).extract().path("id");
    }

    /** The person the invitation is for, signed in somewhere else with a verified e-mail. */
    static String invitee(String email) {
        return TestTokens.access(UUID.randomUUID().toString()).user(UUID.randomUUID().toString(), "s")
                .roles("owner").claim("email", email).claim("email_verified", true).sign();
    }

    @Nested
    class Invite {

        @Test
        void anAdminInvitesAndTheMailCarriesASingleUseLinkThatNoResponseShows() throws Exception {
            String email = freshAddress();
            String body = as(Fixtures.user(admin, org, "admin"))
                    .body("{\"email\":\"" + email.toUpperCase() + "\",\"role\":\"member\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(201)
                    .header("Location", containsString("/invitations/"))
                    .body("email", equalTo(email)).body("role", equalTo("member")).body("status", equalTo("pending"))
                    .body("expires_at", notNullValue()).body("invited_by.type", equalTo("user"))
                    .body("$", not(hasKey("token")))
                    .extract().asString();
            MimeMessage mail = SmtpServer.await(email, 1, MAIL);
            assertTrue(mail.getSubject().contains("Inviting Co"), mail.getSubject());
            String token = SmtpServer.token(mail);
            assertFalse(body.contains(token), "the token is in the mail only");
            byte[] stored = fixtures.rows("select token_hash from tenant.invitations where email = $1", email).get(0)
                    .getBuffer(0).getBytes();
            assertArrayEquals(Secrets.sha256(token), stored, "only the token's SHA-256 is stored");
            as(Fixtures.user(admin, org, "admin")).when().get("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(200).body(not(containsString(token)));
        }

        @Test
        void defaultsToMember() {
            as(Fixtures.user(owner, org, "owner")).body("{\"email\":\"" + freshAddress() + "\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(201).body("role", equalTo("member"));
        }

        @Test
        void onlyOwnersInviteOwners() {
            as(Fixtures.user(admin, org, "admin")).body("{\"email\":\"" + freshAddress() + "\",\"role\":\"owner\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            invite(Fixtures.user(owner, org, "owner"), freshAddress(), "owner");
        }

        @Test
        void whileAnOrganizationHasNoOwnerItsFirstKeyMayInviteOne() {
            String bootstrapped = fixtures.organization("No owner yet");
            as(Fixtures.key(bootstrapped, "read_write")).body("{\"email\":\"" + freshAddress() + "\",\"role\":\"owner\"}")
                    .when().post("/v1/organizations/" + bootstrapped + "/invitations")
                    .then().statusCode(201).body("invited_by.type", equalTo("api_key"));
            // once it has an owner, only owners may
            as(Fixtures.key(org, "read_write")).body("{\"email\":\"" + freshAddress() + "\",\"role\":\"owner\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void aMemberIs403AndAReadKeyIs403ScopeInsufficient() {
            Person member = fixtures.member(org, "member");
            as(Fixtures.user(member, org, "member")).body("{\"email\":\"" + freshAddress() + "\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            as(Fixtures.key(org, "read")).body("{\"email\":\"" + freshAddress() + "\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(403).body("code", equalTo("scope_insufficient"));
        }

        @Test
        void badAddressOrRoleIs400() {
            as(Fixtures.user(owner, org, "owner")).body("{\"email\":\"not an address\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(Fixtures.user(owner, org, "owner")).body("{\"email\":\"" + freshAddress() + "\",\"role\":\"god\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void aMemberAlreadyIs409AndAPendingInvitationToo() {
            as(Fixtures.user(owner, org, "owner")).body("{\"email\":\"" + admin.email() + "\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(409).body("code", equalTo("already_member"));
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "member");
            as(Fixtures.user(owner, org, "owner")).body("{\"email\":\"" + email + "\"}")
                    .when().post("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(409).body("code", equalTo("invitation_pending"));
        }
    }

    @Nested
    class Accept {

        @Test
        void theInvitedPersonJoinsWithTheInvitedRole() {
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "admin");
            String token = SmtpServer.token(SmtpServer.await(email, 1, MAIL));
            String invitee = invitee(email);
            String userId = subject(invitee);
            as(invitee).when().post("/v1/invitations/" + token + "/accept")
                    .then().statusCode(200).body("organization.id", equalTo(org)).body("role", equalTo("admin"));
            assertEquals("admin", fixtures.role(org, userId));
        }

        @Test
        void anInvitationToAnInternationalDomainIsAcceptedByTheAddressIdentitySignsIn() {
            String local = "someone-" + UUID.randomUUID().toString().substring(0, 8);
            invite(Fixtures.user(owner, org, "owner"), local + "@Bücher.example", "member");
            // identity-service keys the person by the ASCII (IDNA) form of the domain, and so does the invitation
            String signedIn = local + "@xn--bcher-kva.example";
            String token = SmtpServer.token(SmtpServer.await(signedIn, 1, MAIL));
            String invitee = invitee(signedIn);
            as(invitee).when().post("/v1/invitations/" + token + "/accept")
                    .then().statusCode(200).body("organization.id", equalTo(org)).body("role", equalTo("member"));
            assertEquals("member", fixtures.role(org, subject(invitee)));
        }

        @Test
        void aSecondUseIs409AndTheMembershipIsUnchanged() {
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "member");
            String token = SmtpServer.token(SmtpServer.await(email, 1, MAIL));
            as(invitee(email)).when().post("/v1/invitations/" + token + "/accept").then().statusCode(200);
            as(invitee(email)).when().post("/v1/invitations/" + token + "/accept")
                    .then().statusCode(409).body("code", equalTo("invitation_used"));
        }

        @Test
        void anotherAddressIs403InvitationEmailMismatch() {
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "owner");
            String token = SmtpServer.token(SmtpServer.await(email, 1, MAIL));
            as(invitee(freshAddress())).when().post("/v1/invitations/" + token + "/accept")
                    .then().statusCode(403).body("code", equalTo("invitation_email_mismatch"));
            // the invitation still works for the right person
            as(invitee(email)).when().post("/v1/invitations/" + token + "/accept").then().statusCode(200);
        }

        @Test
        void anUnverifiedAddressIs403InvitationEmailMismatch() {
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "member");
            String token = SmtpServer.token(SmtpServer.await(email, 1, MAIL));
            String unverified = TestTokens.access(UUID.randomUUID().toString()).user(UUID.randomUUID().toString(), "s")
                    .roles("owner").claim("email", email).claim("email_verified", false).sign();
            as(unverified).when().post("/v1/invitations/" + token + "/accept")
                    .then().statusCode(403).body("code", equalTo("invitation_email_mismatch"));
        }

        @Test
        void anExpiredInvitationIs410() {
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "member");
            String token = SmtpServer.token(SmtpServer.await(email, 1, MAIL));
            fixtures.rows("update tenant.invitations set expires_at = now() - interval '1 second' where email = $1", email);
            as(invitee(email)).when().post("/v1/invitations/" + token + "/accept")
                    .then().statusCode(410).body("code", equalTo("invitation_expired"));
        }

        @Test
        void aRevokedInvitationIs404() {
            String email = freshAddress();
            String id = invite(Fixtures.user(owner, org, "owner"), email, "member");
            String token = SmtpServer.token(SmtpServer.await(email, 1, MAIL));
            as(Fixtures.user(admin, org, "admin")).when().delete("/v1/organizations/" + org + "/invitations/" + id)
                    .then().statusCode(204);
            as(invitee(email)).when().post("/v1/invitations/" + token + "/accept")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void anUnknownOrMalformedTokenIs404() {
            as(invitee(freshAddress())).when().post("/v1/invitations/lki_" + "x".repeat(43) + "/accept")
                    .then().statusCode(404).body("code", equalTo("not_found"));
            as(invitee(freshAddress())).when().post("/v1/invitations/garbage/accept")
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }

        @Test
        void anApiKeyIs403AndNoTokenIs401() {
            as(Fixtures.key(org, "read_write")).when().post("/v1/invitations/lki_" + "x".repeat(43) + "/accept")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            given().when().post("/v1/invitations/lki_" + "x".repeat(43) + "/accept").then().statusCode(401);
        }
    }

    @Nested
    class ListAndRevoke {

        @Test
        void pendingInvitationsAreListedNewestFirstAndRevokedOnesAreNot() {
            String first = invite(Fixtures.user(owner, org, "owner"), freshAddress(), "member");
            String second = invite(Fixtures.user(owner, org, "owner"), freshAddress(), "admin");
            String third = invite(Fixtures.user(owner, org, "owner"), freshAddress(), "member");
            as(Fixtures.user(owner, org, "owner")).when().delete("/v1/organizations/" + org + "/invitations/" + second)
                    .then().statusCode(204);
            String cursor = as(Fixtures.user(admin, org, "admin")).queryParam("limit", 1)
                    .when().get("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(200).body("invitations[0].id", equalTo(third))
                    .body("next_cursor", notNullValue()).extract().path("next_cursor");
            as(Fixtures.user(admin, org, "admin")).queryParam("cursor", cursor)
                    .when().get("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(200).body("invitations.id", contains(first));
        }

        @Test
        void aMemberMayNotListOrRevoke() {
            Person member = fixtures.member(org, "member");
            String id = invite(Fixtures.user(owner, org, "owner"), freshAddress(), "member");
            as(Fixtures.user(member, org, "member")).when().get("/v1/organizations/" + org + "/invitations")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            as(Fixtures.user(member, org, "member")).when().delete("/v1/organizations/" + org + "/invitations/" + id)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void revokingIsIdempotentAndAnUnknownIdIs404() {
            String id = invite(Fixtures.user(owner, org, "owner"), freshAddress(), "member");
            as(Fixtures.user(owner, org, "owner")).when().delete("/v1/organizations/" + org + "/invitations/" + id)
                    .then().statusCode(204);
            as(Fixtures.user(owner, org, "owner")).when().delete("/v1/organizations/" + org + "/invitations/" + id)
                    .then().statusCode(204);
            as(Fixtures.user(owner, org, "owner")).when()
                    .delete("/v1/organizations/" + org + "/invitations/" + UUID.randomUUID())
                    .then().statusCode(404);
        }

        @Test
        void anAcceptedInvitationCannotBeRevoked() {
            String email = freshAddress();
            String id = invite(Fixtures.user(owner, org, "owner"), email, "member");
            as(invitee(email)).when().post("/v1/invitations/" + SmtpServer.token(SmtpServer.await(email, 1, MAIL))
                    + "/accept").then().statusCode(200);
            as(Fixtures.user(owner, org, "owner")).when().delete("/v1/organizations/" + org + "/invitations/" + id)
                    .then().statusCode(409).body("code", equalTo("invitation_used"));
        }
    }

    @Nested
    class Outbox {

        @Test
        void mailWaitsWhileSmtpIsDownAndLeavesWhenItIsBack() {
            SmtpServer.down();
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "member");
            // several delivery attempts fail meanwhile: the outbox polls every second, so wait for the second
            // attempt rather than for a fixed time (a loaded CI machine once made only one in 1.5 s)
            long attempts = Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fixtures.rows("select o.attempts from tenant.outbox o join tenant.invitations i"
                            + " on o.payload like '%' || i.id::text || '%' where i.email = $1", email).get(0).getLong(0),
                            n -> n >= 2);
            assertTrue(attempts >= 2, "retried while SMTP was down: " + attempts);
            assertEquals(0, SmtpServer.to(email).size());

            SmtpServer.up();
            MimeMessage mail = SmtpServer.await(email, 1, MAIL);
            String token = SmtpServer.token(mail);
            as(invitee(email)).when().post("/v1/invitations/" + token + "/accept").then().statusCode(200);
            assertNotEquals(0, fixtures.rows("select 1 from tenant.outbox o join tenant.invitations i"
                    + " on o.payload like '%' || i.id::text || '%' where i.email = $1 and o.delivered_at is not null",
                    email).size());
        }

        @Test
        void aDeliveredMailLeavesNoTokenInTheOutbox() {
            String email = freshAddress();
            invite(Fixtures.user(owner, org, "owner"), email, "member");
            String token = SmtpServer.token(SmtpServer.await(email, 1, MAIL));
            given().when().get("/v1/ping").then().statusCode(200);
            assertEquals(0, fixtures.rows("select 1 from tenant.outbox where payload like $1", "%" + token + "%").size());
        }
    }

    static String subject(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        return new io.vertx.core.json.JsonObject(payload).getString("sub");
    }
}
