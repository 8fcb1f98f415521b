package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.oauth.UserCodes;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The device authorization grant (RFC 8628) as `latchkey login --device` uses it, and its refusals. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class DeviceFlowTest {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    /** latchkey.identity.user-code-limits.per-address (default). */
    static final int WRONG_CODES_PER_ADDRESS = 10;

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @Inject
    Pool pool;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    static JsonPath startDevice() {
        return given().formParam("client_id", AuthorizationCodeFlowTest.CLI)
                .formParam("scope", "openid email offline_access").formParam("host", "build-box-7")
                .when().post("/v1/oauth/device_authorization").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath();
    }

    static ValidatableResponse poll(String deviceCode) {
        return given().formParam("grant_type", GRANT).formParam("device_code", deviceCode)
                .formParam("client_id", AuthorizationCodeFlowTest.CLI).when().post("/v1/oauth/token").then();
    }

    /** A person enters the code in a browser, signs in and decides; the last page. */
    Response decide(JsonPath device, SignedIn who, String decision) {
        Browser browser = new Browser();
        Response form = browser.get(device.getString("verification_uri_complete"));
        assertEquals(200, form.statusCode());
        String html = form.body().asString();
        assertEquals(device.getString("user_code"), Browser.field(html, "user_code"));
        // Typed in lower case with a space: still the code.
        String typed = device.getString("user_code").toLowerCase().replace("-", " ");
        Response signIn = browser.follow(browser.post("/v1/oauth/device", Map.of("csrf", Browser.field(html, "csrf"),
                "user_code", typed)), publicUrl);
        String page = signIn.body().asString();
        assertTrue(page.contains("id=\"sign-in\""), page);
        String consent = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(page, "request"),
                "csrf", Browser.field(page, "csrf"), "email", who.email(), "password", People.PASSWORD)), publicUrl)
                .body().asString();
        assertTrue(consent.contains("build-box-7"), consent);
        return browser.follow(browser.post("/v1/oauth/consent", Map.of("request", Browser.field(consent, "request"),
                "csrf", Browser.field(consent, "csrf"), "decision", decision)), publicUrl);
    }

    @Test
    void theDeviceGetsASessionOnceThePersonAllows() throws Exception {
        SignedIn ada = People.signedIn();
        JsonPath device = startDevice();
        assertTrue(device.getString("device_code").startsWith("lkdc_"));
        assertTrue(device.getString("user_code").matches("[" + UserCodes.ALPHABET + "]{4}-[" + UserCodes.ALPHABET + "]{4}"));
        assertEquals(publicUrl + "/v1/oauth/device", device.getString("verification_uri"));
        assertEquals(600, device.getInt("expires_in"));
        assertEquals(5, device.getInt("interval"));

        String code = device.getString("device_code");
        poll(code).statusCode(400).body("error", equalTo("authorization_pending"));
        // Faster than the interval: slow down.
        poll(code).statusCode(400).body("error", equalTo("slow_down"));

        Response done = decide(device, ada, "allow");
        assertEquals(200, done.statusCode());
        assertTrue(done.body().asString().contains("Device connected"));

        JsonPath tokens = poll(code).statusCode(200).extract().jsonPath();
        assertEquals(ada.userId(), IdentityTokens.verify(tokens.getString("access_token")).getSubject());
        IdentityTokens.verifyIdToken(tokens.getString("id_token"), AuthorizationCodeFlowTest.CLI);
        given().formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getString("refresh_token"))
                .formParam("client_id", AuthorizationCodeFlowTest.CLI).when().post("/v1/oauth/token").then()
                .statusCode(200);
        // Once only.
        poll(code).statusCode(400).body("error", equalTo("invalid_grant")).body("code", equalTo("device_code_used"));
    }

    @Test
    void aDeniedRequestIsAccessDenied() {
        SignedIn ada = People.signedIn();
        JsonPath device = startDevice();
        Response done = decide(device, ada, "deny");
        assertTrue(done.body().asString().contains("denied"), done.body().asString());
        poll(device.getString("device_code")).statusCode(400).body("error", equalTo("access_denied"));
    }

    @Test
    void anExpiredDeviceCodeIsExpiredToken() {
        JsonPath device = startDevice();
        pool.preparedQuery("update identity.device_authorizations set expires_at = now() - interval '1 second' "
                + "where device_code_hash = $1").execute(Tuple.of(UserCodes.hash(device.getString("device_code"))))
                .await().indefinitely();
        poll(device.getString("device_code")).statusCode(400).body("error", equalTo("expired_token"));
        // Its user code no longer leads anywhere.
        Browser browser = new Browser();
        String html = browser.get("/v1/oauth/device").body().asString();
        Response r = browser.post("/v1/oauth/device", Map.of("csrf", Browser.field(html, "csrf"), "user_code",
                device.getString("user_code")));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().asString().contains("id=\"error\""));
    }

    @Test
    void unknownCodesAndOtherClientsAreRefused() {
        JsonPath device = startDevice();
        poll("lkdc_" + "A".repeat(43)).statusCode(400).body("error", equalTo("invalid_grant"));
        AuthorizationCodeFlowTest.Client other = AuthorizationCodeFlowTest.Client.confidential();
        given().auth().preemptive().basic(other.id(), other.secret()).formParam("grant_type", GRANT)
                .formParam("device_code", device.getString("device_code")).when().post("/v1/oauth/token").then()
                .statusCode(400).body("error", equalTo("invalid_grant"));
        given().formParam("client_id", "no-such-client").when().post("/v1/oauth/device_authorization").then()
                .statusCode(401).body("error", equalTo("invalid_client"));
        given().formParam("client_id", AuthorizationCodeFlowTest.CLI).formParam("scope", "admin").when()
                .post("/v1/oauth/device_authorization").then().statusCode(400).body("error", equalTo("invalid_scope"));
        Browser browser = new Browser();
        String html = browser.get("/v1/oauth/device").body().asString();
        assertEquals(400, browser.post("/v1/oauth/device", Map.of("csrf", Browser.field(html, "csrf"), "user_code",
                "BBBB-BBBB")).statusCode());
        // Without its CSRF token the form is refused.
        assertEquals(403, browser.post("/v1/oauth/device", Map.of("user_code", device.getString("user_code"))).statusCode());
    }

    @Test
    void guessingUserCodesIsLimitedPerClientAddressAndLocksOutEvenTheRightCode() {
        JsonPath device = startDevice();
        String attackerAddress = Browser.newLoopbackAddress();
        Browser attacker = Browser.at(attackerAddress);
        String csrf = Browser.field(attacker.get("/v1/oauth/device").body().asString(), "csrf");
        for (int i = 0; i < WRONG_CODES_PER_ADDRESS; i++) {
            assertEquals(400, attacker.post("/v1/oauth/device", Map.of("csrf", csrf, "user_code",
                    UserCodes.display(UserCodes.generate()))).statusCode(), "guess " + i);
        }
        Response limited = attacker.post("/v1/oauth/device", Map.of("csrf", csrf, "user_code",
                UserCodes.display(UserCodes.generate())));
        assertEquals(429, limited.statusCode());
        assertTrue(Integer.parseInt(limited.header("Retry-After")) > 0);
        String page = limited.body().asString();
        assertTrue(page.contains("id=\"error\"") && page.contains("Too many"), page);
        assertTrue(page.contains("id=\"device\""), "the form stays, to try again later: " + page);

        // The right code is refused too until the window passes: guessing cannot go on at the limit's pace.
        assertEquals(429, attacker.post("/v1/oauth/device", Map.of("csrf", csrf, "user_code",
                device.getString("user_code"))).statusCode());
        // Not asking for HTML: the project's error body.
        given().config(Browser.sentFrom(attackerAddress)).cookie("lk_browser", attacker.cookie("lk_browser"))
                .formParam("csrf", csrf).formParam("user_code", device.getString("user_code"))
                .when().post("/v1/oauth/device").then().statusCode(429).body("code", equalTo("rate_limited"))
                .header("Retry-After", notNullValue());

        // Another client address is not held back by this one's guesses: the same code leads on to sign-in.
        Browser person = Browser.at(Browser.newLoopbackAddress());
        String html = person.get("/v1/oauth/device").body().asString();
        Response next = person.follow(person.post("/v1/oauth/device", Map.of("csrf", Browser.field(html, "csrf"),
                "user_code", device.getString("user_code"))), publicUrl);
        assertEquals(200, next.statusCode());
        assertTrue(next.body().asString().contains("id=\"sign-in\""), next.body().asString());
    }
}
