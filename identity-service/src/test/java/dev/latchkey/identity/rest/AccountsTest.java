package dev.latchkey.identity.rest;

import static dev.latchkey.identity.support.People.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import dev.latchkey.testing.FakeLatchkey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(MailServer.class)
class AccountsTest {

    @Inject
    Pool pool;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    @Nested
    class Register {

        @Test
        void anAccountIsCreatedWithANormalisedAddressAndAPersonalOrganization() {
            String local = "Ada.Lovelace+" + java.util.UUID.randomUUID().toString().substring(0, 6);
            String id = People.register(local + "@EXAMPLE.com", PASSWORD, "Ada Lovelace")
                    .statusCode(201)
                    .body("email", equalTo(local.toLowerCase() + "@example.com"))
                    .body("name", equalTo("Ada Lovelace"))
                    .body("email_verified", equalTo(false))
                    .body("status", equalTo("active"))
                    .extract().path("id");
            assertEquals(1, FakeTenant.of(id).stream().filter(FakeTenant.Org::personal).count());
            assertEquals("owner", FakeTenant.of(id).get(0).role());
        }

        @Test
        void aTakenAddressAnswersLikeANewOneAndMailsItsOwnerInstead() {
            String email = People.newEmail();
            io.restassured.response.ExtractableResponse<?> first = People.register(email, PASSWORD, "A").statusCode(201)
                    .extract();
            String other = "another long passphrase 77";
            io.restassured.response.ExtractableResponse<?> second = People.register(email.toUpperCase(), other, "B")
                    .statusCode(201).extract();

            // Indistinguishable: same status, same keys, same values where a new account's would be the same.
            java.util.Map<String, Object> a = first.jsonPath().getMap("");
            java.util.Map<String, Object> b = second.jsonPath().getMap("");
            assertEquals(a.keySet(), b.keySet());
            assertEquals(first.contentType(), second.contentType());
            assertEquals(email, b.get("email"));
            assertEquals("B", b.get("name"));
            assertEquals(false, b.get("email_verified"));
            assertEquals("active", b.get("status"));
            // ...but nothing of the real account: not its id, and the caller's password opens nothing.
            assertFalse(a.get("id").equals(b.get("id")));
            People.login(email, other).statusCode(401).body("code", equalTo("invalid_credentials"));
            People.login(email, PASSWORD).statusCode(200);

            String warning = MailServer.awaitMail(email, "Someone tried to sign up with your address");
            assertTrue(warning.contains("/v1/auth/password-reset"), warning);
            assertEquals(1, MailServer.messagesTo(email).stream().filter(m -> {
                try {
                    return m.getSubject().contains("Confirm your email address");
                } catch (Exception e) {
                    return false;
                }
            }).count(), "no second verification mail");
        }

        @Test
        void aShortPasswordIs400NamingTheRule() {
            People.register(People.newEmail(), "short pw 1", "A").statusCode(400)
                    .body("code", equalTo("validation_failed"))
                    .body("message", containsString("at least 12 characters"));
        }

        @Test
        void aCommonPasswordIs400() {
            People.register(People.newEmail(), "qwertyuiopasdfgh", "A").statusCode(400)
                    .body("code", equalTo("validation_failed"))
                    .body("message", containsString("'password'"));
        }

        @Test
        void aPasswordMadeOfTheAddressIs400() {
            String email = "margaretha" + System.nanoTime() + "@example.com";
            People.register(email, email.split("@")[0] + "!!", "M").statusCode(400)
                    .body("code", equalTo("validation_failed"));
        }

        @Test
        void anInvalidAddressIs400() {
            People.register("not an address", PASSWORD, "A").statusCode(400).body("code", equalTo("validation_failed"))
                    .body("message", containsString("'email'"));
        }

        @Test
        void thePasswordIsStoredAsAnArgon2idHashOnly() {
            String email = People.newEmail();
            String id = People.register(email, PASSWORD, "A").statusCode(201).extract().path("id");
            String hash = pool.preparedQuery("select hash from identity.password_credentials where user_id = $1")
                    .execute(Tuple.of(java.util.UUID.fromString(id))).await().indefinitely().iterator().next().getString(0);
            assertTrue(hash.startsWith("$argon2id$v=19$"), hash);
            assertFalse(hash.contains(PASSWORD));
        }
    }

    @Nested
    class VerifyEmail {

        @Test
        void theMailedTokenVerifiesTheAddressOnceAndTheNextTokenSaysSo() throws Exception {
            SignedIn ada = People.signedIn();
            JwtClaims before = IdentityTokens.verify(ada.accessToken());
            assertEquals(false, before.getClaimValue("email_verified"));

            String token = MailServer.token(MailServer.awaitMail(ada.email(), "Confirm your email address"));
            given().contentType(ContentType.JSON).body("{\"token\":\"" + token + "\"}")
                    .when().post("/v1/auth/verify-email")
                    .then().statusCode(200).body("email_verified", equalTo(true));
            given().contentType(ContentType.JSON).body("{\"token\":\"" + token + "\"}")
                    .when().post("/v1/auth/verify-email")
                    .then().statusCode(400).body("code", equalTo("invalid_token"));

            String refreshed = People.refresh(ada.refreshToken()).statusCode(200).extract().path("access_token");
            assertEquals(true, IdentityTokens.verify(refreshed).getClaimValue("email_verified"));
            // Invitations to the address are honoured: tenant-service was told the address is now verified.
            assertTrue(FakeLatchkey.received().stream().anyMatch(r -> r.path().endsWith("/users/" + ada.userId() + "/onboard")
                    && r.body().contains("\"email_verified\":true")));
        }

        @Test
        void anUnknownTokenIs400() {
            given().contentType(ContentType.JSON).body("{\"token\":\"" + "a".repeat(43) + "\"}")
                    .when().post("/v1/auth/verify-email")
                    .then().statusCode(400).body("code", equalTo("invalid_token"));
        }

        @Test
        void anExpiredTokenIs410() {
            SignedIn ada = People.signedIn();
            String token = MailServer.token(MailServer.awaitMail(ada.email(), "Confirm your email address"));
            pool.preparedQuery("update identity.email_tokens set expires_at = now() - interval '1 second' where user_id = $1")
                    .execute(Tuple.of(java.util.UUID.fromString(ada.userId()))).await().indefinitely();
            given().contentType(ContentType.JSON).body("{\"token\":\"" + token + "\"}")
                    .when().post("/v1/auth/verify-email")
                    .then().statusCode(410).body("code", equalTo("token_expired"));
        }
    }

    @Nested
    class Login {

        @Test
        void aPersonGetsAnAccessTokenForTheirOrganizationAndARefreshToken() throws Exception {
            SignedIn ada = People.signedIn();
            assertTrue(ada.refreshToken().startsWith("lkr_"));
            assertEquals("Bearer", ada.tokens().getString("token_type"));
            assertEquals(900, ada.tokens().getInt("expires_in"));
            assertEquals(ada.email(), ada.tokens().getString("user.email"));
            String org = ada.tokens().getString("organization.id");
            assertEquals("owner", ada.tokens().getString("organization.role"));

            JwtClaims claims = IdentityTokens.verify(ada.accessToken());
            assertEquals(ada.userId(), claims.getSubject());
            assertEquals(ada.email(), claims.getStringClaimValue("email"));
            assertEquals(org, claims.getStringClaimValue("tenant_id"));
            assertEquals(java.util.List.of("owner"), claims.getStringListClaimValue("roles"));
            assertEquals(ada.sessionId(), claims.getStringClaimValue("sid"));
            assertEquals("access", claims.getStringClaimValue("token_use"));
            assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        }

        @Test
        void aWrongPasswordAndAnUnknownAddressAnswerAlike() {
            SignedIn ada = People.signedIn();
            var wrong = People.login(ada.email(), "not the password at all").statusCode(401).extract();
            var unknown = People.login(People.newEmail(), "not the password at all").statusCode(401).extract();
            assertEquals((String) wrong.path("code"), (String) unknown.path("code"));
            assertEquals("invalid_credentials", wrong.path("code"));
            assertEquals((String) wrong.path("message"), unknown.path("message"));
            assertEquals((String) wrong.path("error"), (String) unknown.path("error"));
        }

        @Test
        void meShowsTheUserTheOrganizationAndTheRole() {
            SignedIn ada = People.signedIn();
            given().header("Authorization", ada.bearer()).when().get("/v1/me")
                    .then().statusCode(200)
                    .body("kind", equalTo("user"))
                    .body("user.email", equalTo(ada.email()))
                    .body("organization.id", equalTo(ada.tokens().getString("organization.id")))
                    .body("role", equalTo("owner"))
                    .body("session_id", equalTo(ada.sessionId()))
                    .body("pending", org.hamcrest.Matchers.nullValue());
        }

        @Test
        void meWithoutATokenIs401() {
            given().when().get("/v1/me").then().statusCode(401).body("code", equalTo("auth_required"))
                    .body("request_id", notNullValue());
        }
    }
}
