package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.oauth.Pkce;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The authorization-code flow with PKCE over HTTP, as a CLI or a web front end drives it: the authorization
 * endpoint, the sign-in pages (password, organization, consent) with their CSRF tokens, the code exchange, refresh,
 * introspection and revocation, and the attacks on each step.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class AuthorizationCodeFlowTest {

    static final String CLI = "latchkey-cli";
    static final String CLI_REDIRECT = "http://127.0.0.1:53123/callback";

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    /** One authorization request of a client: its PKCE verifier, state and nonce. */
    record Request(String clientId, String redirectUri, String scope, String verifier, String state, String nonce,
            String host) {
        static Request cli() {
            return new Request(CLI, CLI_REDIRECT, "openid email profile offline_access account", AuthorizationCodeFlowTest.verifier(), "st-" + UUID.randomUUID(),
                    "n-" + UUID.randomUUID(), "ada-laptop");
        }

        Request with(String clientId, String redirectUri) {
            return new Request(clientId, redirectUri, scope, verifier, state, nonce, host);
        }

        String url() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("response_type", "code");
            p.put("client_id", clientId);
            p.put("redirect_uri", redirectUri);
            p.put("scope", scope);
            p.put("state", state);
            p.put("nonce", nonce);
            p.put("code_challenge", Pkce.challengeOf(verifier));
            p.put("code_challenge_method", "S256");
            if (host != null) {
                p.put("host", host);
            }
            return url(p);
        }

        static String url(Map<String, String> params) {
            StringBuilder out = new StringBuilder("/v1/oauth/authorize");
            char sep = '?';
            for (var e : params.entrySet()) {
                out.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = '&';
            }
            return out.toString();
        }
    }

    static String verifier() {
        return UUID.randomUUID() + "-" + UUID.randomUUID();
    }

    /** Signs in on the page and allows: the redirect back to the client (Location). */
    String authorize(Browser browser, Request request, SignedIn who) {
        Response page = browser.follow(browser.get(request.url()), publicUrl);
        if (page.statusCode() == 200 && page.body().asString().contains("id=\"sign-in\"")) {
            String html = page.body().asString();
            page = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                    "csrf", Browser.field(html, "csrf"), "email", who.email(), "password", People.PASSWORD)), publicUrl);
        }
        assertEquals(200, page.statusCode(), page.body().asString());
        String html = page.body().asString();
        assertTrue(html.contains("id=\"consent\""), html);
        Response back = browser.post("/v1/oauth/consent", Map.of("request", Browser.field(html, "request"),
                "csrf", Browser.field(html, "csrf"), "decision", "allow"));
        assertEquals(302, back.statusCode(), back.body().asString());
        return back.header("Location");
    }

    static io.restassured.response.ValidatableResponse exchange(String clientId, String secret, String code,
            String redirectUri, String verifier) {
        var spec = given().formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", redirectUri).formParam("code_verifier", verifier);
        spec = secret == null ? spec.formParam("client_id", clientId) : spec.auth().preemptive().basic(clientId, secret);
        return spec.when().post("/v1/oauth/token").then();
    }

    static String code(String location) {
        return Browser.query(location).get("code");
    }

    @Nested
    class TheCliSignsIn {

        @Test
        void signInConsentAndExchangeGiveASessionAndAnIdToken() throws Exception {
            SignedIn ada = People.signedIn();
            Browser browser = new Browser();
            Request request = Request.cli();

            Response signIn = browser.follow(browser.get(request.url()), publicUrl);
            assertEquals(200, signIn.statusCode());
            assertThat(signIn.header("Content-Security-Policy"), "frame-ancestors 'none'");
            assertThat(signIn.header("Content-Security-Policy"), "default-src 'none'");
            assertEquals("DENY", signIn.header("X-Frame-Options"));
            assertThat(signIn.body().asString(), "Latchkey CLI");
            // Set on the authorize redirect; HttpOnly and SameSite=Lax.
            assertNotNull(browser.cookie("lk_browser"));

            String html = signIn.body().asString();
            Response consent = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request",
                    Browser.field(html, "request"), "csrf", Browser.field(html, "csrf"), "email", ada.email(), "password",
                    People.PASSWORD)), publicUrl);
            assertEquals(200, consent.statusCode(), consent.body().asString());
            String consentHtml = consent.body().asString();
            assertThat(consentHtml, "ada-laptop");
            assertThat(consentHtml, ada.email());
            Response back = browser.post("/v1/oauth/consent", Map.of("request", Browser.field(consentHtml, "request"),
                    "csrf", Browser.field(consentHtml, "csrf"), "decision", "allow"));
            assertEquals(302, back.statusCode());
            String location = back.header("Location");
            assertTrue(location.startsWith(CLI_REDIRECT + "?"), location);
            Map<String, String> q = Browser.query(location);
            assertEquals(request.state(), q.get("state"));
            assertEquals(publicIssuer(), q.get("iss"));

            JsonPath tokens = exchange(CLI, null, q.get("code"), CLI_REDIRECT, request.verifier()).statusCode(200)
                    .header("Cache-Control", "no-store").body("token_type", equalTo("Bearer"))
                    .extract().jsonPath();
            JwtClaims access = IdentityTokens.verify(tokens.getString("access_token"));
            assertEquals(ada.userId(), access.getSubject());
            assertNotNull(access.getClaimValue("tenant_id"));
            assertNotNull(tokens.getString("refresh_token"));
            JwtClaims id = IdentityTokens.verifyIdToken(tokens.getString("id_token"), CLI);
            assertEquals(ada.userId(), id.getSubject());
            assertEquals(request.nonce(), id.getStringClaimValue("nonce"));
            assertEquals(ada.email(), id.getStringClaimValue("email"));
            assertEquals(access.getStringClaimValue("sid"), id.getStringClaimValue("sid"));
            // The access token works at Latchkey's own API.
            given().header("Authorization", "Bearer " + tokens.getString("access_token")).when().get("/v1/me")
                    .then().statusCode(200);
            given().header("Authorization", "Bearer " + tokens.getString("access_token")).when().get("/v1/oauth/userinfo")
                    .then().statusCode(200).body("sub", equalTo(ada.userId())).body("email", equalTo(ada.email()));
        }

        @Test
        void aSignedInBrowserIsNotAskedForThePasswordAgain() {
            SignedIn ada = People.signedIn();
            Browser browser = new Browser();
            authorize(browser, Request.cli(), ada);
            assertNotNull(browser.cookie("lk_session"));
            Response second = browser.follow(browser.get(Request.cli().url()), publicUrl);
            assertEquals(200, second.statusCode());
            assertThat(second.body().asString(), "id=\"consent\"");
            // prompt=login asks again.
            Response forced = browser.follow(browser.get(Request.cli().url() + "&prompt=login"), publicUrl);
            assertThat(forced.body().asString(), "id=\"sign-in\"");
        }

        @Test
        void promptNoneWithoutABrowserSessionAnswersLoginRequired() {
            Request request = Request.cli();
            Response back = new Browser().get(request.url() + "&prompt=none");
            assertEquals(302, back.statusCode());
            Map<String, String> q = Browser.query(back.header("Location"));
            assertEquals("login_required", q.get("error"));
            assertEquals(request.state(), q.get("state"));
        }

        @Test
        void denyingSendsAccessDeniedBack() {
            SignedIn ada = People.signedIn();
            Browser browser = new Browser();
            Request request = Request.cli();
            Response page = browser.follow(browser.get(request.url()), publicUrl);
            String html = page.body().asString();
            String consent = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html,
                    "request"), "csrf", Browser.field(html, "csrf"), "email", ada.email(), "password", People.PASSWORD)),
                    publicUrl).body().asString();
            Response back = browser.post("/v1/oauth/consent", Map.of("request", Browser.field(consent, "request"),
                    "csrf", Browser.field(consent, "csrf"), "decision", "deny"));
            Map<String, String> q = Browser.query(back.header("Location"));
            assertEquals("access_denied", q.get("error"));
            assertEquals(request.state(), q.get("state"));
            assertNull(q.get("code"));
        }

        @Test
        void aWrongPasswordShowsThePageAgainWithTheLoginError() {
            SignedIn ada = People.signedIn();
            Browser browser = new Browser();
            String html = browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString();
            Response again = browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                    "csrf", Browser.field(html, "csrf"), "email", ada.email(), "password", "wrong password 123"));
            assertEquals(401, again.statusCode());
            assertThat(again.body().asString(), "id=\"error\"");
            assertThat(again.body().asString(), "id=\"sign-in\"");
            assertEquals(null, browser.cookie("lk_session"));
        }

        @Test
        void withSeveralOrganizationsThePersonPicksOne() throws Exception {
            SignedIn ada = People.signedIn();
            String acme = FakeTenant.join(ada.userId(), "Acme", "admin");
            Browser browser = new Browser();
            Request request = Request.cli();
            String html = browser.follow(browser.get(request.url()), publicUrl).body().asString();
            Response picker = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html,
                    "request"), "csrf", Browser.field(html, "csrf"), "email", ada.email(), "password", People.PASSWORD)),
                    publicUrl);
            String pickerHtml = picker.body().asString();
            assertThat(pickerHtml, "Acme");
            assertThat(pickerHtml, "name=\"organization_id\"");
            // Not a member: refused.
            Response stranger = browser.post("/v1/oauth/organization", Map.of("request", Browser.field(pickerHtml,
                    "request"), "csrf", Browser.field(pickerHtml, "csrf"), "organization_id", UUID.randomUUID().toString()));
            assertEquals(404, stranger.statusCode());
            String consent = browser.follow(browser.post("/v1/oauth/organization", Map.of("request", Browser.field(
                    pickerHtml, "request"), "csrf", Browser.field(pickerHtml, "csrf"), "organization_id", acme)),
                    publicUrl).body().asString();
            assertThat(consent, "Acme");
            String location = browser.post("/v1/oauth/consent", Map.of("request", Browser.field(consent, "request"),
                    "csrf", Browser.field(consent, "csrf"), "decision", "allow")).header("Location");
            JsonPath tokens = exchange(CLI, null, code(location), CLI_REDIRECT, request.verifier()).statusCode(200)
                    .extract().jsonPath();
            JwtClaims access = IdentityTokens.verify(tokens.getString("access_token"));
            assertEquals(acme, access.getStringClaimValue("tenant_id"));
            assertEquals(List.of("admin"), access.getStringListClaimValue("roles"));
        }
    }

    @Nested
    class Refresh {

        @Test
        void theRefreshTokenRotatesAndBelongsToItsClient() throws Exception {
            SignedIn ada = People.signedIn();
            Request request = Request.cli();
            String location = authorize(new Browser(), request, ada);
            JsonPath tokens = exchange(CLI, null, code(location), CLI_REDIRECT, request.verifier()).statusCode(200)
                    .extract().jsonPath();
            String refresh = tokens.getString("refresh_token");
            JsonPath next = given().formParam("grant_type", "refresh_token").formParam("refresh_token", refresh)
                    .formParam("client_id", CLI).when().post("/v1/oauth/token").then().statusCode(200)
                    .extract().jsonPath();
            assertNotEquals(refresh, next.getString("refresh_token"));
            assertNotNull(next.getString("id_token"));
            // Another client cannot use it.
            Client other = Client.confidential();
            given().auth().preemptive().basic(other.id(), other.secret()).formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", next.getString("refresh_token")).when().post("/v1/oauth/token").then()
                    .statusCode(400).body("error", equalTo("invalid_grant"));
            // The old one, replayed past the grace window, is refused in RFC 6749's shape.
            given().formParam("grant_type", "refresh_token").formParam("refresh_token", "lkrt_" + "x".repeat(43))
                    .formParam("client_id", CLI).when().post("/v1/oauth/token").then().statusCode(400)
                    .body("error", equalTo("invalid_grant")).body("error_description", not(equalTo(null)))
                    .body("request_id", not(equalTo(null)));
        }
    }

    /** An access token issued to a client carries the e-mail only when the grant holds {@code email} (issue 23, 4). */
    @Nested
    class EmailClaims {

        JsonPath signIn(String scope) {
            SignedIn ada = People.signedIn();
            Request cli = Request.cli();
            Request request = new Request(CLI, CLI_REDIRECT, scope, cli.verifier(), cli.state(), cli.nonce(),
                    cli.host());
            return exchange(CLI, null, code(authorize(new Browser(), request, ada)), CLI_REDIRECT, request.verifier())
                    .statusCode(200).extract().jsonPath();
        }

        JwtClaims refreshed(JsonPath tokens) throws Exception {
            return IdentityTokens.verify(given().formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", tokens.getString("refresh_token")).formParam("client_id", CLI).when()
                    .post("/v1/oauth/token").then().statusCode(200).extract().path("access_token"));
        }

        @Test
        void withoutTheEmailScopeTheAccessTokenHasNoEmail() throws Exception {
            JsonPath tokens = signIn("openid offline_access");
            JwtClaims issued = IdentityTokens.verify(tokens.getString("access_token"));
            for (JwtClaims access : List.of(issued, refreshed(tokens))) {
                assertFalse(access.hasClaim("email"), access.toJson());
                assertFalse(access.hasClaim("email_verified"), access.toJson());
            }
        }

        @Test
        void withTheEmailScopeTheAccessTokenHasIt() throws Exception {
            JsonPath tokens = signIn("openid email offline_access");
            JwtClaims issued = IdentityTokens.verify(tokens.getString("access_token"));
            for (JwtClaims access : List.of(issued, refreshed(tokens))) {
                assertNotNull(access.getStringClaimValue("email"), access.toJson());
                assertTrue(access.hasClaim("email_verified"), access.toJson());
            }
        }
    }

    /**
     * Issue 23, item 1: a client's refresh token is refreshed only at the token endpoint, with the client's
     * authentication when it is confidential.
     */
    @Nested
    class ClientRefresh {

        record Granted(Client web, JsonPath tokens) {
        }

        Granted grant() {
            SignedIn ada = People.signedIn();
            Client web = Client.confidential();
            Request request = Request.cli().with(web.id(), "https://app.example.com/oauth/callback");
            JsonPath tokens = exchange(web.id(), web.secret(), code(authorize(new Browser(), request, ada)),
                    request.redirectUri(), request.verifier()).statusCode(200).extract().jsonPath();
            return new Granted(web, tokens);
        }

        @Test
        void theFirstPartyRefreshEndpointRefusesAClientsRefreshTokenAndLeavesTheSessionAlone() {
            Granted g = grant();
            String refresh = g.tokens().getString("refresh_token");
            for (int i = 0; i < 2; i++) {
                given().contentType(ContentType.JSON).body(Map.of("refresh_token", refresh)).when()
                        .post("/v1/auth/refresh").then().statusCode(400).body("code", equalTo("use_token_endpoint"));
            }
            // Neither rotated nor ended: the access token still works and the client refreshes with its secret.
            given().header("Authorization", "Bearer " + g.tokens().getString("access_token")).when().get("/v1/me")
                    .then().statusCode(200);
            String next = given().auth().preemptive().basic(g.web().id(), g.web().secret())
                    .formParam("grant_type", "refresh_token").formParam("refresh_token", refresh).when()
                    .post("/v1/oauth/token").then().statusCode(200).extract().path("refresh_token");
            // The rotated token presented here is not taken for a replay: the client's session goes on.
            given().contentType(ContentType.JSON).body(Map.of("refresh_token", refresh)).when()
                    .post("/v1/auth/refresh").then().statusCode(400).body("code", equalTo("use_token_endpoint"));
            given().auth().preemptive().basic(g.web().id(), g.web().secret()).formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", next).when().post("/v1/oauth/token").then().statusCode(200);
        }

        @Test
        void theTokenEndpointWantsTheConfidentialClientsSecret() {
            Granted g = grant();
            String refresh = g.tokens().getString("refresh_token");
            given().formParam("client_id", g.web().id()).formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", refresh).when().post("/v1/oauth/token").then().statusCode(401)
                    .body("error", equalTo("invalid_client"));
            given().auth().preemptive().basic(g.web().id(), "lkcs_" + "x".repeat(43))
                    .formParam("grant_type", "refresh_token").formParam("refresh_token", refresh).when()
                    .post("/v1/oauth/token").then().statusCode(401)
                    .body("error", equalTo("invalid_client"));
            given().auth().preemptive().basic(g.web().id(), g.web().secret()).formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", refresh).when().post("/v1/oauth/token").then().statusCode(200);
        }

        @Test
        void aGrantOfADeletedClientNoLongerRefreshes() {
            Granted g = grant();
            given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken()).when()
                    .delete("/v1/admin/clients/" + g.web().id()).then().statusCode(204);
            given().auth().preemptive().basic(g.web().id(), g.web().secret()).formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", g.tokens().getString("refresh_token")).when().post("/v1/oauth/token")
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
            given().contentType(ContentType.JSON).body(Map.of("refresh_token", g.tokens().getString("refresh_token")))
                    .when().post("/v1/auth/refresh").then().statusCode(400).body("code", equalTo("use_token_endpoint"));
        }
    }

    @Nested
    class Attacks {

        @Test
        void aReplayedCodeIsRefusedAndEndsTheSessionItWasExchangedFor() throws Exception {
            SignedIn ada = People.signedIn();
            Request request = Request.cli();
            String code = code(authorize(new Browser(), request, ada));
            String access = exchange(CLI, null, code, CLI_REDIRECT, request.verifier()).statusCode(200)
                    .extract().path("access_token");
            given().header("Authorization", "Bearer " + access).when().get("/v1/me").then().statusCode(200);
            exchange(CLI, null, code, CLI_REDIRECT, request.verifier()).statusCode(400)
                    .body("error", equalTo("invalid_grant")).body("code", equalTo("code_reused"));
            given().header("Authorization", "Bearer " + access).when().get("/v1/me").then().statusCode(401);
        }

        @Test
        void aCodeWithAnotherVerifierClientOrRedirectUriIsRefused() {
            SignedIn ada = People.signedIn();
            Request request = Request.cli();
            String code = code(authorize(new Browser(), request, ada));
            exchange(CLI, null, code, CLI_REDIRECT, verifier()).statusCode(400).body("error", equalTo("invalid_grant"))
                    .body("code", equalTo("pkce_failed"));
            exchange(CLI, null, code, "http://127.0.0.1:53124/callback", request.verifier()).statusCode(400)
                    .body("code", equalTo("redirect_uri_mismatch"));
            Client other = Client.confidential();
            exchange(other.id(), other.secret(), code, CLI_REDIRECT, request.verifier()).statusCode(400)
                    .body("code", equalTo("wrong_client"));
            exchange(CLI, null, "lkac_" + "A".repeat(43), CLI_REDIRECT, request.verifier()).statusCode(400)
                    .body("code", equalTo("invalid_code"));
        }

        @Test
        void aCodeWithoutAVerifierIsRefused() {
            SignedIn ada = People.signedIn();
            Request request = Request.cli();
            String code = code(authorize(new Browser(), request, ada));
            given().formParam("grant_type", "authorization_code").formParam("code", code)
                    .formParam("redirect_uri", CLI_REDIRECT).formParam("client_id", CLI).when().post("/v1/oauth/token")
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }

        @Test
        void openRedirectsAreAnsweredHereNeverRedirected() {
            for (String evil : List.of("https://evil.example/callback", "http://127.0.0.1.evil.example:53123/callback",
                    "http://evil@127.0.0.1:53123/callback", "http://127.0.0.1:53123/callback#fragment",
                    "http://localhost:53123/callback", "http://127.0.0.1:53123/other")) {
                Response r = new Browser().get(Request.cli().with(CLI, evil).url());
                assertEquals(400, r.statusCode(), evil);
                assertNull(r.header("Location"), evil);
                assertThat(r.body().asString(), "redirect_uri");
            }
            given().urlEncodingEnabled(false).redirects().follow(false).accept(ContentType.JSON).when()
                    .get(Request.cli().with("no-such-client", CLI_REDIRECT).url()).then().statusCode(400)
                    .body("code", equalTo("invalid_client"));
        }

        @Test
        void plainOrMissingPkceGoesBackAsInvalidRequest() {
            Map<String, String> p = new LinkedHashMap<>(Map.of("response_type", "code", "client_id", CLI,
                    "redirect_uri", CLI_REDIRECT, "state", "s1", "code_challenge", verifier(),
                    "code_challenge_method", "plain"));
            Response plain = new Browser().get(Request.url(p));
            assertEquals(302, plain.statusCode());
            assertEquals("invalid_request", Browser.query(plain.header("Location")).get("error"));
            assertEquals("s1", Browser.query(plain.header("Location")).get("state"));
            p.remove("code_challenge");
            p.remove("code_challenge_method");
            Response missing = new Browser().get(Request.url(p));
            assertEquals("invalid_request", Browser.query(missing.header("Location")).get("error"));
            p.put("code_challenge", Pkce.challengeOf(verifier()));
            p.put("code_challenge_method", "S256");
            p.put("response_type", "token");
            assertEquals("unsupported_response_type", Browser.query(new Browser().get(Request.url(p))
                    .header("Location")).get("error"));
        }

        @Test
        void formsWithoutTheirCsrfTokenAreRefused() {
            SignedIn ada = People.signedIn();
            Browser browser = new Browser();
            String html = browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString();
            Response missing = browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                    "email", ada.email(), "password", People.PASSWORD));
            assertEquals(403, missing.statusCode());
            assertThat(missing.body().asString(), "csrf_failed");
            assertNull(browser.cookie("lk_session"));
            // A token of another browser is no better.
            Browser attacker = new Browser();
            String theirs = attacker.follow(attacker.get(Request.cli().url()), publicUrl).body().asString();
            assertEquals(403, browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                    "csrf", Browser.field(theirs, "csrf"), "email", ada.email(), "password", People.PASSWORD)).statusCode());
        }

        @Test
        void signingOutTakesTheConsentPagesCsrfTokenAndNothingElse() {
            SignedIn ada = People.signedIn();
            Browser browser = new Browser();
            authorize(browser, Request.cli(), ada);
            String consent = browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString();

            // Another site makes the browser post (its cookies go along), without the token or with its own.
            Response forged = browser.post("/v1/oauth/sign-out", Map.of());
            assertEquals(403, forged.statusCode());
            assertThat(forged.body().asString(), "csrf_failed");
            Browser attacker = new Browser();
            String theirs = attacker.follow(attacker.get(Request.cli().url()), publicUrl).body().asString();
            assertEquals(403, browser.post("/v1/oauth/sign-out", Map.of("csrf", Browser.field(theirs, "csrf")))
                    .statusCode());
            given().cookie("lk_session", browser.cookie("lk_session")).cookie("lk_browser", browser.cookie("lk_browser"))
                    .formParam("csrf", "").when().post("/v1/oauth/sign-out").then().statusCode(403)
                    .contentType(ContentType.JSON).body("code", equalTo("csrf_failed"));
            String session = browser.cookie("lk_session");
            assertNotNull(session);
            assertThat(browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString(), "id=\"consent\"");

            // The person's own button on the page signs them out.
            assertThat(consent, "action=\"/v1/oauth/sign-out\"");
            Response out = browser.post("/v1/oauth/sign-out", Map.of("csrf", Browser.field(consent, "csrf")));
            assertEquals(200, out.statusCode());
            assertThat(out.body().asString(), "Signed out");
            assertNull(browser.cookie("lk_session"));
            // The session itself ended, not only the cookie.
            browser.setCookie("lk_session", session);
            assertThat(browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString(), "id=\"sign-in\"");
        }

        @Test
        void clientsThatDoNotAskForHtmlGetTheJsonErrorBody() {
            // curl, API clients, scanners: the project's error body, not a page.
            given().formParam("request", "x").formParam("email", "a@example.com").formParam("password", "p")
                    .when().post("/v1/oauth/sign-in").then().statusCode(403).contentType(ContentType.JSON)
                    .body("code", equalTo("csrf_failed")).body("request_id", not(equalTo(null)));
            given().when().get("/v1/oauth/sign-in?request=nope").then().statusCode(400).contentType(ContentType.JSON)
                    .body("code", equalTo("invalid_request"));
            given().when().get("/v1/oauth/upstream/google/callback?state=x").then().statusCode(400)
                    .contentType(ContentType.JSON).body("code", equalTo("invalid_state"));
        }

        @Test
        void anotherBrowserCannotContinueSomeonesRequest() {
            Browser browser = new Browser();
            String html = browser.follow(browser.get(Request.cli().url()), publicUrl).body().asString();
            Browser other = new Browser();
            other.get(Request.cli().url());
            Response r = other.get("/v1/oauth/sign-in?request=" + Browser.field(html, "request"));
            assertEquals(400, r.statusCode());
        }
    }

    @Nested
    class ConfidentialClients {

        @Test
        void aRegisteredWebClientCompletesTheFlowWithItsSecret() {
            SignedIn ada = People.signedIn();
            Client web = Client.confidential();
            Request request = Request.cli().with(web.id(), "https://app.example.com/oauth/callback");
            String code = code(authorize(new Browser(), request, ada));
            exchange(web.id(), "lkcs_" + "x".repeat(43), code, request.redirectUri(), request.verifier()).statusCode(401)
                    .body("error", equalTo("invalid_client"));
            exchange(web.id(), null, code, request.redirectUri(), request.verifier()).statusCode(401)
                    .body("error", equalTo("invalid_client"));
            exchange(web.id(), web.secret(), code, request.redirectUri(), request.verifier()).statusCode(200);
        }

        @Test
        void aWebClientGetsNoLoopbackPortExceptionAndNoOtherPath() {
            Client web = Client.confidential();
            Response r = new Browser().get(Request.cli().with(web.id(), "https://app.example.com/oauth/callback/x").url());
            assertEquals(400, r.statusCode());
        }

        @Test
        void introspectionAndRevocation() {
            SignedIn ada = People.signedIn();
            Client web = Client.confidential();
            Request request = Request.cli().with(web.id(), "https://app.example.com/oauth/callback");
            JsonPath tokens = exchange(web.id(), web.secret(), code(authorize(new Browser(), request, ada)),
                    request.redirectUri(), request.verifier()).statusCode(200).extract().jsonPath();
            String access = tokens.getString("access_token");
            String refresh = tokens.getString("refresh_token");
            given().auth().preemptive().basic(web.id(), web.secret()).formParam("token", access).when()
                    .post("/v1/oauth/introspect").then().statusCode(200).body("active", equalTo(true))
                    .body("sub", equalTo(ada.userId())).body("token_type", equalTo("Bearer"));
            given().auth().preemptive().basic(web.id(), web.secret()).formParam("token", refresh).when()
                    .post("/v1/oauth/introspect").then().statusCode(200).body("active", equalTo(true));
            // A public client may not introspect; nobody anonymous either.
            given().formParam("client_id", CLI).formParam("token", access).when().post("/v1/oauth/introspect").then()
                    .statusCode(401).body("error", equalTo("invalid_client"));
            given().formParam("token", access).when().post("/v1/oauth/introspect").then().statusCode(401);
            // Another client learns nothing about this client's refresh token, nor may it revoke it.
            Client other = Client.confidential();
            given().auth().preemptive().basic(other.id(), other.secret()).formParam("token", refresh).when()
                    .post("/v1/oauth/introspect").then().statusCode(200).body("active", equalTo(false));
            given().auth().preemptive().basic(other.id(), other.secret()).formParam("token", refresh).when()
                    .post("/v1/oauth/revoke").then().statusCode(200);
            given().header("Authorization", "Bearer " + access).when().get("/v1/me").then().statusCode(200);
            // Its own client revokes it: the session ends, the access token is refused everywhere.
            given().auth().preemptive().basic(web.id(), web.secret()).formParam("token", refresh)
                    .formParam("token_type_hint", "refresh_token").when().post("/v1/oauth/revoke").then().statusCode(200);
            given().header("Authorization", "Bearer " + access).when().get("/v1/me").then().statusCode(401);
            given().auth().preemptive().basic(web.id(), web.secret()).formParam("token", access).when()
                    .post("/v1/oauth/introspect").then().statusCode(200).body("active", equalTo(false));
            given().auth().preemptive().basic(web.id(), web.secret()).formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", refresh).when().post("/v1/oauth/token").then().statusCode(400)
                    .body("error", equalTo("invalid_grant"));
        }
    }

    /** A confidential client registered by an operator. */
    record Client(String id, String secret) {
        static Client confidential() {
            String id = "web-" + UUID.randomUUID().toString().substring(0, 8);
            String secret = given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken())
                    .contentType(ContentType.JSON)
                    .body("{\"client_id\":\"" + id + "\",\"name\":\"Acme Web\",\"client_type\":\"confidential\","
                            + "\"redirect_uris\":[\"https://app.example.com/oauth/callback\"]}")
                    .when().post("/v1/admin/clients").then().statusCode(201).body("client_id", equalTo(id))
                    .header("Cache-Control", "no-store").extract().path("client_secret");
            assertTrue(secret.startsWith("lkcs_"));
            // Shown once: never again.
            given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken()).when()
                    .get("/v1/admin/clients/" + id).then().statusCode(200).body("client_secret", equalTo(null));
            return new Client(id, secret);
        }
    }

    String publicIssuer() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("latchkey.identity.issuer", String.class);
    }

    static void assertThat(String text, String part) {
        assertTrue(text != null && text.contains(part), "expected «" + part + "» in:\n" + text);
    }
}
