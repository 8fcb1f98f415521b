package dev.latchkey.e2e.oauth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.e2e.Suite;
import dev.latchkey.e2e.oauth.OAuthSignInTest.Browser;
import io.restassured.http.ContentType;

/**
 * Issue 23, items 10 and 1, across the production builds: a revoked client-credentials token, and the access token of
 * a person's grant to a client that is then deleted or given a new secret, are refused by another service
 * (apikey-service, tenant-service) within a second, as a logout is.
 */
class GrantRevocationAcrossServicesTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String APIKEY = Suite.url(Suite.APIKEY);
    static final String TENANT = Suite.url(Suite.TENANT);
    static final String CALLBACK = "https://app.example.com/oauth/callback";
    static final Duration WITHIN = Duration.ofSeconds(1);

    static Suite suite;

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
    }

    static String clientCredentials(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials")
                .when().post(IDENTITY + "/v1/oauth/token").then().statusCode(200).extract().path("access_token");
    }

    static String operator() {
        return clientCredentials("operator", suite.secret("LATCHKEY_OPERATOR_CLIENT_SECRET"));
    }

    static int verifyAtApikeyService(String serviceToken) {
        return given().auth().oauth2(serviceToken).contentType(ContentType.JSON)
                .body("{\"key\":\"lk_" + "A".repeat(36) + "\"}").when().post(APIKEY + "/internal/v1/keys/verify")
                .then().extract().statusCode();
    }

    @Test
    void aRevokedClientCredentialsTokenIsRefusedByApikeyServiceWithinASecond() {
        String secret = suite.secret("LATCHKEY_TENANT_SERVICE_CLIENT_SECRET");
        String token = clientCredentials("tenant-service", secret);
        assertEquals(200, verifyAtApikeyService(token));
        given().auth().preemptive().basic("tenant-service", secret).formParam("token", token).when()
                .post(IDENTITY + "/v1/oauth/revoke").then().statusCode(200);
        Awaitility.await("apikey-service refuses the revoked token").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> verifyAtApikeyService(token) == 401);
        given().auth().preemptive().basic("operator", suite.secret("LATCHKEY_OPERATOR_CLIENT_SECRET"))
                .formParam("token", token).when().post(IDENTITY + "/v1/oauth/introspect").then().statusCode(200)
                .body("active", org.hamcrest.Matchers.equalTo(false));
        // tenant-service itself goes on with a new token (its ServiceCaller drops a refused one and asks again).
        assertEquals(200, verifyAtApikeyService(clientCredentials("tenant-service", secret)));
    }

    @Test
    void deletingAClientEndsItsGrantAtTenantServiceWithinASecond() throws Exception {
        String[] client = registerClient();
        Grant grant = grant(client);
        given().auth().oauth2(operator()).when().delete(IDENTITY + "/v1/admin/clients/" + client[0]).then()
                .statusCode(204);
        refusedAtTenantService(grant);
    }

    @Test
    void rotatingAClientsSecretEndsItsGrantAtTenantServiceWithinASecond() throws Exception {
        String[] client = registerClient();
        Grant grant = grant(client);
        String secret = given().auth().oauth2(operator()).when()
                .post(IDENTITY + "/v1/admin/clients/" + client[0] + "/secret").then().statusCode(200).extract()
                .path("client_secret");
        refusedAtTenantService(grant);
        given().auth().preemptive().basic(client[0], secret).formParam("grant_type", "refresh_token")
                .formParam("refresh_token", grant.refresh()).when().post(IDENTITY + "/v1/oauth/token").then()
                .statusCode(400).body("error", org.hamcrest.Matchers.equalTo("invalid_grant"));
    }

    record Grant(String access, String refresh, String organization) {
    }

    static int atTenantService(Grant grant) {
        return given().auth().oauth2(grant.access()).when().get(TENANT + "/v1/organizations/" + grant.organization())
                .then().extract().statusCode();
    }

    static void refusedAtTenantService(Grant grant) {
        Awaitility.await("tenant-service refuses the ended grant's token").atMost(WITHIN)
                .pollInterval(Duration.ofMillis(50)).until(() -> atTenantService(grant) == 401);
    }

    /** {client id, secret}: a confidential web client registered by the operator. */
    static String[] registerClient() {
        String id = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = given().auth().oauth2(operator()).contentType(ContentType.JSON)
                .body(Map.of("client_id", id, "name", "Acme Web", "client_type", "confidential", "redirect_uris",
                        List.of(CALLBACK)))
                .when().post(IDENTITY + "/v1/admin/clients").then().statusCode(201).extract().path("client_secret");
        return new String[] { id, secret };
    }

    /** A person signs in to the client on the pages, picks their team and allows: the client's tokens. */
    static Grant grant(String[] client) throws Exception {
        String[] person = OAuthSignInTest.personWithATeam();
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String authorize = IDENTITY + "/v1/oauth/authorize?response_type=code&client_id=" + client[0]
                + "&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)
                + "&scope=openid%20email%20offline_access&state=s-" + UUID.randomUUID() + "&code_challenge="
                + OAuthSignInTest.challenge(verifier) + "&code_challenge_method=S256&host=ada-workstation";
        Browser browser = new Browser();
        HttpResponse<String> back = OAuthSignInTest.signInPickTeamAllow(browser, browser.follow(browser.get(authorize)),
                person[0], person[1]);
        assertEquals(302, back.statusCode(), back.body());
        String code = OAuthSignInTest.query(back.headers().firstValue("Location").orElseThrow()).get("code");
        var tokens = given().auth().preemptive().basic(client[0], client[1])
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", CALLBACK).formParam("code_verifier", verifier).when()
                .post(IDENTITY + "/v1/oauth/token").then().statusCode(200).extract().jsonPath();
        Grant grant = new Grant(tokens.getString("access_token"), tokens.getString("refresh_token"), person[1]);
        // Admitted before: 200, or 403 where the client's scopes do not open the endpoint (client-bound tokens);
        // never 401, which is what a revocation answers.
        assertNotEquals(401, atTenantService(grant));
        return grant;
    }
}
