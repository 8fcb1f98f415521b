package dev.latchkey.e2e.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.e2e.Mail;
import dev.latchkey.e2e.Suite;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A person's whole story across the four production builds: sign up (identity creates the personal organization
 * at tenant-service), verify the address from the mail a real SMTP server received, sign in, use tenant-service and
 * webhook-gateway with the access token, create a team and switch to it without signing in again, refresh, sign
 * out, and the ended session's access token is refused within a second by both other services and by a second
 * tenant-service instance. Then an invitation
 * sent by mail is honoured at the invitee's first sign-up.
 */
class PersonJourneyTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String TENANT = Suite.url(Suite.TENANT);
    static final String WEBHOOK = Suite.url(Suite.WEBHOOK);
    static final String TENANT_2 = Suite.url(Suite.TENANT_2);
    static final String PASSWORD = "correct horse battery staple";

    static Suite suite;

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
    }

    @Test
    void signUpVerifySignInSwitchRefreshSignOutAndTheTokenDiesEverywhere() throws Exception {
        // A second tenant-service instance on the same database and Redis: the revocation must reach both.
        suite.startSecondInstance("tenant-service", Suite.TENANT_2);
        try {
            story();
        } finally {
            suite.stopSecondInstance("tenant-service");
        }
    }

    void story() throws Exception {
        String email = "ada-" + UUID.randomUUID() + "@example.com";

        // 1. Sign up: 201, not yet verified; the personal organization exists at tenant-service.
        String userId = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "name", "Ada"))
                .when().post(IDENTITY + "/v1/auth/register")
                .then().statusCode(201).body("email", equalTo(email)).body("email_verified", equalTo(false))
                .extract().path("id");

        // 2. The verification mail, through real SMTP; the link's token verifies the address once.
        String code = Mail.find(Mail.await(email, "Confirm your email address"), "token=([0-9A-Za-z]{43})");
        given().contentType(ContentType.JSON).body(Map.of("token", code)).when().post(IDENTITY + "/v1/auth/verify-email")
                .then().statusCode(200).body("email_verified", equalTo(true));
        given().contentType(ContentType.JSON).body(Map.of("token", code)).when().post(IDENTITY + "/v1/auth/verify-email")
                .then().statusCode(400);

        // 3. Sign in: an access token for the personal organization, as its owner.
        JsonPath login = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .when().post(IDENTITY + "/v1/auth/login").then().statusCode(200)
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .body("user.id", equalTo(userId)).extract().jsonPath();
        String token = login.getString("access_token");
        String refresh = login.getString("refresh_token");
        String personal = login.getString("organization.id");
        Map<String, Object> claims = claims(token);
        assertEquals(userId, claims.get("sub"));
        assertEquals(personal, claims.get("tenant_id"));
        assertEquals(List.of("owner"), claims.get("roles"));
        assertEquals(true, claims.get("email_verified"));
        assertEquals(email, claims.get("email"));

        // 4. tenant-service knows the person as owner of that organization, and lists it in the switcher.
        given().auth().oauth2(token).when().get(TENANT + "/v1/organizations/" + personal).then().statusCode(200)
                .body("id", equalTo(personal));
        given().auth().oauth2(token).when().get(TENANT + "/v1/me/organizations").then().statusCode(200)
                .body("organizations.find { it.id == '" + personal + "' }.role", equalTo("owner"))
                .body("organizations.find { it.id == '" + personal + "' }.personal", equalTo(true));

        // 5. A team organization, then switch to it without signing in again; a foreign one is 404.
        String team = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Acme"))
                .when().post(TENANT + "/v1/organizations").then().statusCode(201).extract().path("id");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("organization_id", UUID.randomUUID().toString()))
                .when().post(IDENTITY + "/v1/auth/switch-org").then().statusCode(404);
        token = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("organization_id", team))
                .when().post(IDENTITY + "/v1/auth/switch-org").then().statusCode(200)
                .extract().path("access_token");
        assertEquals(team, claims(token).get("tenant_id"));
        given().auth().oauth2(token).when().get(IDENTITY + "/v1/me").then().statusCode(200)
                .body("organization.id", equalTo(team)).body("role", equalTo("owner"));

        // 6. Refresh: the refresh token rotates and the session acts in the team now.
        JsonPath refreshed = given().contentType(ContentType.JSON).body(Map.of("refresh_token", refresh))
                .when().post(IDENTITY + "/v1/auth/refresh").then().statusCode(200).extract().jsonPath();
        assertNotEquals(refresh, refreshed.getString("refresh_token"));
        token = refreshed.getString("access_token");
        assertEquals(team, claims(token).get("tenant_id"));

        // Both other services, and both tenant-service instances, accept it (and now hold it in their caches).
        given().auth().oauth2(token).when().get(TENANT + "/v1/organizations/" + team).then().statusCode(200);
        given().auth().oauth2(token).when().get(TENANT_2 + "/v1/organizations/" + team).then().statusCode(200);
        given().auth().oauth2(token).when().get(WEBHOOK + "/v1/webhook-providers").then().statusCode(200);

        // 7. Sign out: the same access token is refused by both services within a second, long before it expires.
        given().auth().oauth2(token).when().post(IDENTITY + "/v1/auth/logout").then().statusCode(204);
        long loggedOut = System.nanoTime();
        long tenantRefused = refusedAfter(token, TENANT + "/v1/organizations/" + team, loggedOut);
        long secondRefused = refusedAfter(token, TENANT_2 + "/v1/organizations/" + team, loggedOut);
        long webhookRefused = refusedAfter(token, WEBHOOK + "/v1/webhook-providers", loggedOut);
        System.out.printf("ended session refused after %d ms (tenant-service), %d ms (tenant-service #2), %d ms"
                + " (webhook-gateway)%n", tenantRefused, secondRefused, webhookRefused);
        assertTrue(tenantRefused < 1000 && secondRefused < 1000 && webhookRefused < 1000,
                tenantRefused + " / " + secondRefused + " / " + webhookRefused + " ms");
        given().auth().oauth2(token).when().get(TENANT + "/v1/organizations/" + team).then().statusCode(401)
                .body("code", equalTo("auth_required"));

        // The rotated-away refresh token, presented again, does not bring the session back.
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", refresh))
                .when().post(IDENTITY + "/v1/auth/refresh").then().statusCode(401)
                .body("code", not(equalTo(null)));
    }

    @Test
    void anInvitationByMailIsHonouredAtTheInviteesFirstSignUp() {
        String owner = "owner-" + UUID.randomUUID() + "@example.com";
        String invitee = "grace-" + UUID.randomUUID() + "@example.com";
        String personal = signedUpAndVerified(owner, "Olive");
        String team = given().auth().oauth2(personal).contentType(ContentType.JSON).body(Map.of("name", "Hopper Labs"))
                .when().post(TENANT + "/v1/organizations").then().statusCode(201).extract().path("id");
        // A token acts in one organization: the personal one's cannot touch the team (404, existence not told).
        given().auth().oauth2(personal).contentType(ContentType.JSON).body(Map.of("email", invitee, "role", "admin"))
                .when().post(TENANT + "/v1/organizations/" + team + "/invitations").then().statusCode(404);
        String token = given().auth().oauth2(personal).contentType(ContentType.JSON)
                .body(Map.of("organization_id", team)).when().post(IDENTITY + "/v1/auth/switch-org")
                .then().statusCode(200).extract().path("access_token");

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("email", invitee, "role", "admin"))
                .when().post(TENANT + "/v1/organizations/" + team + "/invitations").then().statusCode(201);
        String invitation = Mail.await(invitee, "You are invited to join Hopper Labs");
        assertTrue(invitation.contains("lki_"), invitation);

        // Grace never follows the link: she signs up with the invited address and verifies it.
        String graces = signedUpAndVerified(invitee, "Grace");
        // Sign-in after verification: the team is among her organizations, as admin, and she can switch to it.
        given().auth().oauth2(graces).when().get(TENANT + "/v1/me/organizations").then().statusCode(200)
                .body("organizations.id", hasItem(team))
                .body("organizations.find { it.id == '" + team + "' }.role", equalTo("admin"));
        String inTeam = given().auth().oauth2(graces).contentType(ContentType.JSON).body(Map.of("organization_id", team))
                .when().post(IDENTITY + "/v1/auth/switch-org").then().statusCode(200).extract().path("access_token");
        assertEquals(List.of("admin"), claims(inTeam).get("roles"));
        // The owner sees her as a member.
        given().auth().oauth2(token).when().get(TENANT + "/v1/organizations/" + team + "/members").then()
                .statusCode(200).body("members.email", hasItem(invitee));

        // identity keeps her memberships between refreshes; a role changed at tenant-service reaches her next one.
        JsonPath session = given().contentType(ContentType.JSON).body(Map.of("email", invitee, "password", PASSWORD))
                .when().post(IDENTITY + "/v1/auth/login").then().statusCode(200).extract().jsonPath();
        String graceId = session.getString("user.id");
        given().auth().oauth2(session.getString("access_token")).contentType(ContentType.JSON)
                .body(Map.of("organization_id", team)).when().post(IDENTITY + "/v1/auth/switch-org").then().statusCode(200);
        JsonPath refreshed = refresh(session.getString("refresh_token"));
        assertEquals(List.of("admin"), claims(refreshed.getString("access_token")).get("roles"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("role", "member"))
                .when().patch(TENANT + "/v1/organizations/" + team + "/members/" + graceId).then().statusCode(200);
        refreshed = refresh(refreshed.getString("refresh_token"));
        assertEquals(team, claims(refreshed.getString("access_token")).get("tenant_id"));
        assertEquals(List.of("member"), claims(refreshed.getString("access_token")).get("roles"));
    }

    static JsonPath refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken))
                .when().post(IDENTITY + "/v1/auth/refresh").then().statusCode(200).extract().jsonPath();
    }

    /** Registers, verifies by mail and signs in; returns the access token. */
    static String signedUpAndVerified(String email, String name) {
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD, "name", name))
                .when().post(IDENTITY + "/v1/auth/register").then().statusCode(201);
        String code = Mail.find(Mail.await(email, "Confirm your email address"), "token=([0-9A-Za-z]{43})");
        given().contentType(ContentType.JSON).body(Map.of("token", code)).when().post(IDENTITY + "/v1/auth/verify-email")
                .then().statusCode(200);
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .when().post(IDENTITY + "/v1/auth/login").then().statusCode(200).extract().path("access_token");
    }

    /** Milliseconds from {@code since} until {@code url} answers 401 to {@code token} (polling; gives up after 5 s). */
    static long refusedAfter(String token, String url, long since) {
        Duration left = Duration.ofSeconds(5).minusNanos(System.nanoTime() - since);
        if (left.compareTo(Duration.ofMillis(20)) < 0) {
            return Long.MAX_VALUE;
        }
        try {
            Awaitility.await(url + " refuses the token").atMost(left)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        int status = given().auth().oauth2(token).when().get(url).then().extract().statusCode();
                        if (status != 401) {
                            assertEquals(200, status, url);
                        }
                        return status == 401;
                    });
            return (System.nanoTime() - since) / 1_000_000;
        } catch (ConditionTimeoutException tooLate) {
            return Long.MAX_VALUE;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return new JsonPath(payload).getMap("$");
    }
}
