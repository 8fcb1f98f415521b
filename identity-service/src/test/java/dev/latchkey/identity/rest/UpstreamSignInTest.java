package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Request;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.OidcProvider;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * "Continue with Google" and "Continue with Corp SSO" against a real OpenID Connect provider over HTTP (the whole
 * redirect dance: Latchkey → provider → Latchkey callback → consent → client), and RFC 8693 token exchange of
 * the provider's ID tokens, with the refusals a front end must be able to rely on.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
@QuarkusTestResource(OidcProvider.class)
class UpstreamSignInTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    /** From the sign-in page through the provider and back: the page reached after the callback. */
    Response continueWith(Browser browser, Request request, String provider) {
        Response signIn = browser.follow(browser.get(request.url()), publicUrl);
        String html = signIn.body().asString();
        assertTrue(html.contains("id=\"provider-" + provider + "\""), html);
        Response toProvider = browser.get("/v1/oauth/upstream/" + provider + "?request=" + Browser.field(html, "request")
                + "&csrf=" + Browser.field(html, "csrf"));
        assertEquals(303, toProvider.statusCode(), toProvider.body().asString());
        String authorize = toProvider.header("Location");
        assertTrue(authorize.startsWith(OidcProvider.issuer(provider)), authorize);
        Map<String, String> q = Browser.query(authorize);
        assertEquals("S256", q.get("code_challenge_method"));
        assertEquals(OidcProvider.CLIENT_ID, q.get("client_id"));
        // The provider signs the person in and sends the browser back with a code.
        Response back = browser.get(authorize);
        assertEquals(302, back.statusCode(), back.body().asString());
        String callback = back.header("Location");
        assertTrue(callback.startsWith(publicUrl + "/v1/oauth/upstream/" + provider + "/callback"), callback);
        return browser.follow(browser.get(callback), publicUrl);
    }

    @Nested
    class SignIn {

        @Test
        void aNewPersonSignsInWithGoogleAndIsTheSameAccountNextTime() throws Exception {
            String email = People.newEmail();
            String subject = "g-" + UUID.randomUUID();
            OidcProvider.nextSignIn("google", subject, email, true, "Grace");
            Browser browser = new Browser();
            Request request = Request.cli();
            Response consent = continueWith(browser, request, "google");
            assertTrue(consent.body().asString().contains(email), consent.body().asString());
            String location = browser.allow(consent);
            var tokens = AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null,
                    AuthorizationCodeFlowTest.code(location), AuthorizationCodeFlowTest.CLI_REDIRECT, request.verifier())
                    .statusCode(200).extract().jsonPath();
            JwtClaims id = IdentityTokens.verifyIdToken(tokens.getString("id_token"), AuthorizationCodeFlowTest.CLI);
            assertEquals(email, id.getStringClaimValue("email"));
            assertEquals(Boolean.TRUE, id.getClaimValue("email_verified"));
            String userId = id.getSubject();

            // Again, in a fresh browser: the same account (by issuer and subject), even with a changed address.
            OidcProvider.nextSignIn("google", subject, "changed-" + email, true, "Grace");
            Browser again = new Browser();
            Request second = Request.cli();
            String location2 = again.allow(continueWith(again, second, "google"));
            String access = AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null,
                    AuthorizationCodeFlowTest.code(location2), AuthorizationCodeFlowTest.CLI_REDIRECT, second.verifier())
                    .statusCode(200).extract().path("access_token");
            assertEquals(userId, IdentityTokens.verify(access).getSubject());
        }

        @Test
        void aVerifiedAddressAtAGenericProviderLinksToTheExistingAccount() throws Exception {
            SignedIn ada = People.signedIn();
            OidcProvider.nextSignIn("corp", "corp-" + UUID.randomUUID(), ada.email(), true, "Ada");
            Browser browser = new Browser();
            Request request = Request.cli();
            String location = browser.allow(continueWith(browser, request, "corp"));
            String access = AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null,
                    AuthorizationCodeFlowTest.code(location), AuthorizationCodeFlowTest.CLI_REDIRECT, request.verifier())
                    .statusCode(200).extract().path("access_token");
            assertEquals(ada.userId(), IdentityTokens.verify(access).getSubject());
        }

        @Test
        void theProvidersOwnerClaimsAnAccountWhoseAddressNobodyVerified() throws Exception {
            // Mallory registers the victim's address with her own password and never verifies it...
            SignedIn mallory = People.signedIn();
            // ...then the real owner signs in with a provider that vouches for the address.
            OidcProvider.nextSignIn("corp", "corp-" + UUID.randomUUID(), mallory.email(), true, "Victim");
            Browser browser = new Browser();
            Request request = Request.cli();
            String location = browser.allow(continueWith(browser, request, "corp"));
            AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null,
                    AuthorizationCodeFlowTest.code(location), AuthorizationCodeFlowTest.CLI_REDIRECT, request.verifier())
                    .statusCode(200);
            // Mallory's password no longer opens the account, and her session is over.
            People.login(mallory.email(), People.PASSWORD).statusCode(401);
            People.refresh(mallory.refreshToken()).statusCode(401);
            given().header("Authorization", mallory.bearer()).when().get("/v1/me").then().statusCode(401);
        }

        @Test
        void anUnverifiedAddressNeverLinksToAnExistingAccount() {
            SignedIn ada = People.signedIn();
            OidcProvider.nextSignIn("corp", "corp-" + UUID.randomUUID(), ada.email(), false, "Mallory");
            Browser browser = new Browser();
            Response page = continueWith(browser, Request.cli(), "corp");
            assertEquals(403, page.statusCode(), page.body().asString());
            assertTrue(page.body().asString().contains("id=\"sign-in\""));
            assertTrue(page.body().asString().contains("verified"), page.body().asString());
            assertEquals(null, browser.cookie("lk_session"));
        }

        @Test
        void theSignInPageOffersEveryConfiguredProvider() {
            Browser browser = new Browser();
            String html = browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString();
            assertTrue(html.contains("Continue with Google"), html);
            assertTrue(html.contains("Continue with Corp SSO"), html);
        }

        @Test
        void aCallbackWithAWrongOrMissingStateIsRefused() {
            Browser browser = new Browser();
            browser.follow(browser.get(Request.cli().url()), publicUrl);
            Response missing = browser.get("/v1/oauth/upstream/google/callback?code=abc");
            assertEquals(400, missing.statusCode());
            assertTrue(missing.body().asString().contains("invalid_state"));
            Response wrong = browser.get("/v1/oauth/upstream/google/callback?code=abc&state=" + "x".repeat(43));
            assertEquals(400, wrong.statusCode());
        }

        @Test
        void aCallbackInAnotherBrowserIsRefused() {
            OidcProvider.nextSignIn("google", "g-" + UUID.randomUUID(), People.newEmail(), true, "Eve");
            Browser victim = new Browser();
            String html = victim.follow(victim.get(Request.cli().url()), publicUrl).body().asString();
            String authorize = victim.get("/v1/oauth/upstream/google?request=" + Browser.field(html, "request")
                    + "&csrf=" + Browser.field(html, "csrf")).header("Location");
            String callback = victim.get(authorize).header("Location");
            // Login CSRF: the callback URL planted in another browser does not sign that browser in.
            Browser other = new Browser();
            other.get(Request.cli().url());
            Response r = other.get(callback);
            assertEquals(400, r.statusCode());
            assertEquals(null, other.cookie("lk_session"));
        }

        @Test
        void theProviderLinkNeedsTheCsrfToken() {
            Browser browser = new Browser();
            String html = browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString();
            Response r = browser.get("/v1/oauth/upstream/google?request=" + Browser.field(html, "request"));
            assertEquals(403, r.statusCode());
        }
    }

    @Nested
    class TokenExchange {

        static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
        static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

        io.restassured.response.ValidatableResponse exchange(String idToken) {
            return given().formParam("grant_type", GRANT).formParam("subject_token", idToken)
                    .formParam("subject_token_type", ID_TOKEN).when().post("/v1/oauth/token").then();
        }

        Map<String, Object> claims(String email, boolean verified) {
            return Map.of("email", email, "email_verified", verified, "name", "Kim");
        }

        @Test
        void anExchangeByAClientIsAFirstPartySessionThatOnlyThatClientRefreshes() throws Exception {
            AuthorizationCodeFlowTest.Client web = AuthorizationCodeFlowTest.Client.confidential();
            var tokens = given().auth().preemptive().basic(web.id(), web.secret()).formParam("grant_type", GRANT)
                    .formParam("subject_token", OidcProvider.idToken("google", "g-" + UUID.randomUUID(),
                            OidcProvider.GOOGLE_AUDIENCE, claims(People.newEmail(), true), 300))
                    .formParam("subject_token_type", ID_TOKEN).when().post("/v1/oauth/token").then().statusCode(200)
                    .extract().jsonPath();
            // The exchange's tokens name no client and are not limited by scopes, before and after a refresh.
            assertNull(IdentityTokens.verify(tokens.getString("access_token")).getClaimValue("client_id"));
            String refreshed = given().auth().preemptive().basic(web.id(), web.secret())
                    .formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getString("refresh_token"))
                    .when().post("/v1/oauth/token").then().statusCode(200).body("scope", equalTo("openid email profile"))
                    .extract().path("access_token");
            assertNull(IdentityTokens.verify(refreshed).getClaimValue("client_id"));
            given().header("Authorization", "Bearer " + refreshed).when().get("/v1/sessions").then().statusCode(200);
        }

        @Test
        void aGoogleIdTokenBecomesALatchkeySession() throws Exception {
            String email = People.newEmail();
            String subject = "g-" + UUID.randomUUID();
            var tokens = exchange(OidcProvider.idToken("google", subject, OidcProvider.GOOGLE_AUDIENCE,
                    claims(email, true), 300)).statusCode(200).header("Cache-Control", "no-store")
                    .body("issued_token_type", equalTo("urn:ietf:params:oauth:token-type:access_token"))
                    .body("token_type", equalTo("Bearer")).extract().jsonPath();
            JwtClaims access = IdentityTokens.verify(tokens.getString("access_token"));
            assertEquals(email, access.getStringClaimValue("email"));
            given().header("Authorization", "Bearer " + tokens.getString("access_token")).when().get("/v1/me").then()
                    .statusCode(200);
            // The same person again: the same account.
            String again = exchange(OidcProvider.idToken("google", subject, OidcProvider.GOOGLE_AUDIENCE,
                    claims(email, true), 300)).statusCode(200).extract().path("access_token");
            assertEquals(access.getSubject(), IdentityTokens.verify(again).getSubject());
            assertNotEquals(tokens.getString("access_token"), again);
        }

        @Test
        void aFirebaseStyleIssuerWithItsOwnJwksUri() throws Exception {
            String email = People.newEmail();
            exchange(OidcProvider.idToken("firebase", "fb-" + UUID.randomUUID(), OidcProvider.FIREBASE_PROJECT,
                    claims(email, true), 300)).statusCode(200);
        }

        @Test
        void anExpiredIdTokenIsRefused() {
            exchange(OidcProvider.idToken("google", "g-" + UUID.randomUUID(), OidcProvider.GOOGLE_AUDIENCE,
                    claims(People.newEmail(), true), -600)).statusCode(400).body("error", equalTo("invalid_grant"))
                    .body("code", equalTo("token_expired"));
        }

        @Test
        void anIdTokenForAnotherApplicationIsRefused() {
            exchange(OidcProvider.idToken("google", "g-" + UUID.randomUUID(), "someone-elses-app",
                    claims(People.newEmail(), true), 300)).statusCode(400).body("error", equalTo("invalid_grant"))
                    .body("code", equalTo("wrong_audience"));
        }

        @Test
        void anUnverifiedEmailIsRefused() {
            exchange(OidcProvider.idToken("google", "g-" + UUID.randomUUID(), OidcProvider.GOOGLE_AUDIENCE,
                    claims(People.newEmail(), false), 300)).statusCode(400).body("error", equalTo("invalid_grant"))
                    .body("code", equalTo("email_not_verified"));
        }

        @Test
        void anUntrustedIssuerIsRefused() {
            exchange(OidcProvider.idToken("evil", "g-" + UUID.randomUUID(), OidcProvider.GOOGLE_AUDIENCE,
                    claims(People.newEmail(), true), 300)).statusCode(400).body("error", equalTo("invalid_grant"))
                    .body("code", equalTo("untrusted_issuer"));
        }

        @Test
        void aTokenSignedByAnotherIssuersKeyIsRefused() {
            // Signed by the "evil" issuer's key but claiming to be Google: the signature does not verify.
            String evil = OidcProvider.idToken("evil", "g-" + UUID.randomUUID(), OidcProvider.GOOGLE_AUDIENCE,
                    claims(People.newEmail(), true), 300);
            String[] parts = evil.split("\\.");
            String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                    .replace(OidcProvider.issuer("evil"), OidcProvider.issuer("google"));
            String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(payload.getBytes()) + "." + parts[2];
            exchange(forged).statusCode(400).body("error", equalTo("invalid_grant"));
        }

        @Test
        void garbageIsRefusedInTheRfcShape() {
            exchange("not-a-jwt").statusCode(400).body("error", equalTo("invalid_grant"));
            given().formParam("grant_type", GRANT).when().post("/v1/oauth/token").then().statusCode(400)
                    .body("error", equalTo("invalid_request"));
        }
    }
}
