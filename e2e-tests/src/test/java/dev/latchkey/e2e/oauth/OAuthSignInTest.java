package dev.latchkey.e2e.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.e2e.Suite;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The CLI's sign-in across the production builds: a person with a personal and a team organization (real
 * tenant-service) authorizes `latchkey-cli` on the pages with a cookie-keeping HTTP client (no JavaScript), picks
 * the team, sees the host on the consent page, and the CLI's code becomes a token tenant-service accepts for the
 * team. Then the same through the device flow (RFC 8628).
 */
class OAuthSignInTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String TENANT = Suite.url(Suite.TENANT);
    static final String PASSWORD = "correct horse battery staple";
    static final String REDIRECT = "http://127.0.0.1:49999/callback";

    @BeforeAll
    static void startTheSuite() throws Exception {
        Suite.shared();
    }

    /** A browser without JavaScript: cookies kept, redirects looked at one by one. */
    static final class Browser {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Follows redirects within identity; stops at a page or at a redirect elsewhere. */
        HttpResponse<String> follow(HttpResponse<String> response) throws Exception {
            HttpResponse<String> current = response;
            for (int i = 0; i < 10 && (current.statusCode() == 302 || current.statusCode() == 303); i++) {
                String location = current.headers().firstValue("Location").orElseThrow();
                if (!location.startsWith(IDENTITY)) {
                    return current;
                }
                current = get(location);
            }
            return current;
        }
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), () -> "no field " + name + " in:\n" + html);
        return m.group(1);
    }

    static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A person with a personal organization and a team one; returns {email, team id}. */
    static String[] personWithATeam() {
        String email = "cli-" + UUID.randomUUID() + "@example.com";
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD, "name", "Ada"))
                .when().post(IDENTITY + "/v1/auth/register").then().statusCode(201);
        String token = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .when().post(IDENTITY + "/v1/auth/login").then().statusCode(200).extract().path("access_token");
        String team = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Acme CLI"))
                .when().post(TENANT + "/v1/organizations").then().statusCode(201).extract().path("id");
        return new String[] { email, team };
    }

    /** Sign-in, organization (the team), consent showing the host: the last answer (consent's redirect). */
    static HttpResponse<String> signInPickTeamAllow(Browser browser, HttpResponse<String> signIn, String email,
            String team) throws Exception {
        String html = signIn.body();
        assertTrue(html.contains("id=\"sign-in\""), html);
        HttpResponse<String> picker = browser.follow(browser.post(IDENTITY + "/v1/oauth/sign-in", Map.of(
                "request", field(html, "request"), "csrf", field(html, "csrf"), "email", email, "password", PASSWORD)));
        String pickerHtml = picker.body();
        assertTrue(pickerHtml.contains("Acme CLI"), pickerHtml);
        HttpResponse<String> consent = browser.follow(browser.post(IDENTITY + "/v1/oauth/organization", Map.of(
                "request", field(pickerHtml, "request"), "csrf", field(pickerHtml, "csrf"), "organization_id", team)));
        String consentHtml = consent.body();
        assertTrue(consentHtml.contains("ada-workstation"), consentHtml);
        assertTrue(consent.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        return browser.post(IDENTITY + "/v1/oauth/consent", Map.of("request", field(consentHtml, "request"),
                "csrf", field(consentHtml, "csrf"), "decision", "allow"));
    }

    /**
     * Upstream providers are configuration only, and an operator sets them from the environment, as the README
     * says (LATCHKEY_OAUTH_PROVIDERS_<ID>_<PROPERTY>, no properties file): a second identity instance of the built
     * jar started so shows "Continue with GitHub" and "Continue with Google", and sends the browser to GitHub with
     * the client id from the environment, PKCE and this instance's callback.
     */
    @Test
    void upstreamProvidersAreConfiguredFromTheEnvironmentAlone() throws Exception {
        int port = Suite.BASE + 11;
        String second = Suite.url(port);
        Suite suite = Suite.shared();
        suite.startSecondInstance("identity-service", port, Map.of(
                "LATCHKEY_PUBLIC_URL", second,
                "LATCHKEY_OAUTH_PROVIDERS_GITHUB_TYPE", "github",
                "LATCHKEY_OAUTH_PROVIDERS_GITHUB_CLIENT_ID", "Iv1.fromtheenvironment",
                "LATCHKEY_OAUTH_PROVIDERS_GITHUB_CLIENT_SECRET", "github-secret-from-env",
                "LATCHKEY_OAUTH_PROVIDERS_GOOGLE_TYPE", "google",
                "LATCHKEY_OAUTH_PROVIDERS_GOOGLE_CLIENT_ID", "123-env.apps.googleusercontent.com",
                "LATCHKEY_OAUTH_PROVIDERS_GOOGLE_CLIENT_SECRET", "google-secret-from-env"));
        try {
            String authorize = second + "/v1/oauth/authorize?response_type=code&client_id=latchkey-cli&redirect_uri="
                    + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=openid&state=s-" + UUID.randomUUID()
                    + "&code_challenge=" + challenge(UUID.randomUUID() + "-" + UUID.randomUUID())
                    + "&code_challenge_method=S256";
            Browser browser = new Browser();
            HttpResponse<String> page = browser.get(authorize);
            for (int i = 0; i < 5 && (page.statusCode() == 302 || page.statusCode() == 303); i++) {
                page = browser.get(page.headers().firstValue("Location").orElseThrow());
            }
            String html = page.body();
            assertTrue(html.contains("Continue with GitHub"), html);
            assertTrue(html.contains("Continue with Google"), html);
            HttpResponse<String> toGitHub = browser.get(second + "/v1/oauth/upstream/github?request="
                    + field(html, "request") + "&csrf=" + field(html, "csrf"));
            assertEquals(303, toGitHub.statusCode(), toGitHub.body());
            String location = toGitHub.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("https://github.com/login/oauth/authorize?"), location);
            Map<String, String> q = query(location);
            assertEquals("Iv1.fromtheenvironment", q.get("client_id"));
            assertEquals(second + "/v1/oauth/upstream/github/callback", q.get("redirect_uri"));
            assertEquals("S256", q.get("code_challenge_method"));
        } finally {
            suite.stopSecondInstance("identity-service");
        }
        // The first instance, configured without providers, shows no button.
        Browser browser = new Browser();
        String html = browser.follow(browser.get(IDENTITY + "/v1/oauth/authorize?response_type=code&client_id=latchkey-cli"
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=openid&state=s"
                + "&code_challenge=" + challenge(UUID.randomUUID() + "-" + UUID.randomUUID())
                + "&code_challenge_method=S256")).body();
        assertTrue(html.contains("id=\"sign-in\"") && !html.contains("Continue with"), html);
    }

    @Test
    void theCliSignsInForATeamWithCodeAndPkce() throws Exception {
        String[] person = personWithATeam();
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String state = UUID.randomUUID().toString();
        String authorize = IDENTITY + "/v1/oauth/authorize?response_type=code&client_id=latchkey-cli&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=openid%20email%20offline_access%20account%20organizations%3Aread&state="
                + state + "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256&host=ada-workstation";
        Browser browser = new Browser();
        HttpResponse<String> back = signInPickTeamAllow(browser, browser.follow(browser.get(authorize)), person[0],
                person[1]);
        assertEquals(302, back.statusCode());
        String location = back.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(REDIRECT + "?"), location);
        assertEquals(state, query(location).get("state"));

        JsonPath tokens = given().formParam("grant_type", "authorization_code").formParam("client_id", "latchkey-cli")
                .formParam("code", query(location).get("code")).formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", verifier).when().post(IDENTITY + "/v1/oauth/token").then().statusCode(200)
                .extract().jsonPath();
        String access = tokens.getString("access_token");
        given().auth().oauth2(access).when().get(TENANT + "/v1/organizations/" + person[1]).then().statusCode(200)
                .body("id", equalTo(person[1]));
        given().auth().oauth2(access).when().get(IDENTITY + "/v1/me").then().statusCode(200)
                .body("organization.id", equalTo(person[1])).body("role", equalTo("owner"));
        // The code once only.
        given().formParam("grant_type", "authorization_code").formParam("client_id", "latchkey-cli")
                .formParam("code", query(location).get("code")).formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", verifier).when().post(IDENTITY + "/v1/oauth/token").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void aMachineWithoutABrowserSignsInWithTheDeviceFlow() throws Exception {
        String[] person = personWithATeam();
        JsonPath device = given().formParam("client_id", "latchkey-cli").formParam("scope", "openid offline_access organizations:read")
                .formParam("host", "ada-workstation").when().post(IDENTITY + "/v1/oauth/device_authorization").then()
                .statusCode(200).extract().jsonPath();
        String code = device.getString("device_code");
        given().formParam("grant_type", "urn:ietf:params:oauth:grant-type:device_code").formParam("client_id", "latchkey-cli")
                .formParam("device_code", code).when().post(IDENTITY + "/v1/oauth/token").then().statusCode(400)
                .body("error", equalTo("authorization_pending"));

        Browser browser = new Browser();
        String form = browser.get(device.getString("verification_uri")).body();
        HttpResponse<String> signIn = browser.follow(browser.post(IDENTITY + "/v1/oauth/device", Map.of(
                "csrf", field(form, "csrf"), "user_code", device.getString("user_code"))));
        HttpResponse<String> done = browser.follow(signInPickTeamAllow(browser, signIn, person[0], person[1]));
        assertEquals(200, done.statusCode());
        assertTrue(done.body().contains("Device connected"), done.body());

        String access = given().formParam("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
                .formParam("client_id", "latchkey-cli").formParam("device_code", code).when()
                .post(IDENTITY + "/v1/oauth/token").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(access).when().get(TENANT + "/v1/organizations/" + person[1]).then().statusCode(200);
    }
}
