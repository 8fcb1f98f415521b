package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Client;
import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Request;
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
 * Issue 23, items 10 and 1: a client-credentials access token can be revoked (RFC 7009), and deleting an OAuth
 * client or rotating its secret ends its grants. Either way every service refuses the tokens within a second (here:
 * identity's own bearer endpoints, introspection and the token endpoint; e2e-tests: the other services).
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class GrantRevocationTest {

    static final String TENANT_SERVICE_SECRET = "dev-tenant-service-secret";
    static final String OPERATOR_SECRET = "dev-operator-secret";
    static final Duration WITHIN = Duration.ofSeconds(1);

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    static String clientCredentials(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials")
                .when().post("/v1/oauth/token").then().statusCode(200).extract().path("access_token");
    }

    /** A bearer endpoint a service token may call: the revocation resync's. */
    static int internalCall(String serviceToken) {
        return given().auth().oauth2(serviceToken).queryParam("since", 0).when().get("/internal/v1/sessions/ended")
                .then().extract().statusCode();
    }

    static boolean introspectedActive(String clientId, String secret, String token) {
        return given().auth().preemptive().basic(clientId, secret).formParam("token", token).when()
                .post("/v1/oauth/introspect").then().statusCode(200).extract().path("active");
    }

    static void revoke(String clientId, String secret, String token) {
        given().auth().preemptive().basic(clientId, secret).formParam("token", token).when()
                .post("/v1/oauth/revoke").then().statusCode(200).header("Cache-Control", "no-store");
    }

    static void refusedWithin(String what, java.util.concurrent.Callable<Boolean> refused) {
        Awaitility.await(what).atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(refused);
    }

    @Nested
    class ClientCredentialsTokens {

        @Test
        void itsOwnClientRevokesItAndEveryEndpointRefusesIt() {
            String token = clientCredentials("tenant-service", TENANT_SERVICE_SECRET);
            assertEquals(200, internalCall(token));
            assertTrue(introspectedActive("operator", OPERATOR_SECRET, token));

            revoke("tenant-service", TENANT_SERVICE_SECRET, token);

            refusedWithin("the revoked token is refused at a bearer endpoint", () -> internalCall(token) == 401);
            given().auth().oauth2(token).queryParam("since", 0).when().get("/internal/v1/sessions/ended").then()
                    .statusCode(401).body("code", equalTo("auth_required")).body("request_id", org.hamcrest.Matchers.notNullValue());
            assertEquals(false, introspectedActive("operator", OPERATOR_SECRET, token));
            // Revoking it again is no error (RFC 7009 §2.2); a new token of the same client works.
            revoke("tenant-service", TENANT_SERVICE_SECRET, token);
            assertEquals(200, internalCall(clientCredentials("tenant-service", TENANT_SERVICE_SECRET)));
        }

        @Test
        void theOperatorRevokesAnotherServicesToken() {
            String token = clientCredentials("tenant-service", TENANT_SERVICE_SECRET);
            revoke("operator", OPERATOR_SECRET, token);
            refusedWithin("the token the operator revoked is refused", () -> internalCall(token) == 401);
            assertEquals(false, introspectedActive("operator", OPERATOR_SECRET, token));
        }

        @Test
        void theOperatorsRevokedTokenNoLongerOpensOperatorEndpoints() {
            String operator = clientCredentials("operator", OPERATOR_SECRET);
            given().auth().oauth2(operator).when().get("/v1/admin/clients").then().statusCode(200);
            revoke("operator", OPERATOR_SECRET, operator);
            refusedWithin("the operator's revoked token is refused at /v1/admin", () -> given().auth().oauth2(operator)
                    .when().get("/v1/admin/clients").then().extract().statusCode() == 401);
        }

        @Test
        void anotherServiceOrARegisteredClientCannotRevokeIt() {
            String token = clientCredentials("tenant-service", TENANT_SERVICE_SECRET);
            Client web = Client.confidential();
            // Not theirs: answered 200 and left alone (RFC 7009 §2.2), so nothing is learnt about the token.
            revoke("apikey-service", "dev-apikey-service-secret", token);
            revoke(web.id(), web.secret(), token);
            assertEquals(200, internalCall(token));
            assertTrue(introspectedActive("operator", OPERATOR_SECRET, token));
        }

        @Test
        void theRevocationIsKeptInPostgresForEveryServicesResync() {
            long since = java.time.Instant.now().getEpochSecond() - 1;
            String token = clientCredentials("tenant-service", TENANT_SERVICE_SECRET);
            String jti = claims(token).getString("jti");
            revoke("tenant-service", TENANT_SERVICE_SECRET, token);
            given().auth().oauth2(clientCredentials("apikey-service", "dev-apikey-service-secret"))
                    .queryParam("since", since).when().get("/internal/v1/sessions/denied").then().statusCode(200)
                    .body("tokens.jti", hasItem(jti));
        }
    }

    /** A person's grant to a confidential web client. */
    record Grant(Client web, String access, String refresh, String sessionId) {
    }

    Grant grant() {
        SignedIn ada = People.signedIn();
        Client web = Client.confidential();
        Request request = Request.cli().with(web.id(), "https://app.example.com/oauth/callback");
        JsonPath tokens = AuthorizationCodeFlowTest.exchange(web.id(), web.secret(),
                AuthorizationCodeFlowTest.code(authorize(new Browser(), request, ada)), request.redirectUri(),
                request.verifier()).statusCode(200).extract().jsonPath();
        String access = tokens.getString("access_token");
        given().auth().oauth2(access).when().get("/v1/me").then().statusCode(200);
        return new Grant(web, access, tokens.getString("refresh_token"), claims(access).getString("sid"));
    }

    static int refresh(String clientId, String secret, String refreshToken) {
        return given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken).when().post("/v1/oauth/token").then().extract().statusCode();
    }

    static String operator() {
        return clientCredentials("operator", OPERATOR_SECRET);
    }

    @Nested
    class ClientDeletion {

        @Test
        void endsItsGrantsAccessTokensAndRefreshTokens() {
            Grant g = grant();
            given().auth().oauth2(operator()).when().delete("/v1/admin/clients/" + g.web().id()).then().statusCode(204);

            refusedWithin("the deleted client's access token is refused",
                    () -> given().auth().oauth2(g.access()).when().get("/v1/me").then().extract().statusCode() == 401);
            // Registered again under the same id, the client does not get its old grants back.
            Client again = register(g.web().id());
            assertEquals(400, refresh(again.id(), again.secret(), g.refresh()));
            assertEquals(false, introspectedActive(again.id(), again.secret(), g.access()));
            assertEquals(false, introspectedActive(again.id(), again.secret(), g.refresh()));
        }
    }

    @Nested
    class SecretRotation {

        @Test
        void endsItsGrantsAccessTokensAndRefreshTokens() {
            Grant g = grant();
            String secret = given().auth().oauth2(operator()).when().post("/v1/admin/clients/" + g.web().id() + "/secret")
                    .then().statusCode(200).extract().path("client_secret");

            refusedWithin("the access token of a grant made before the rotation is refused",
                    () -> given().auth().oauth2(g.access()).when().get("/v1/me").then().extract().statusCode() == 401);
            Response refused = given().auth().preemptive().basic(g.web().id(), secret)
                    .formParam("grant_type", "refresh_token").formParam("refresh_token", g.refresh()).when()
                    .post("/v1/oauth/token");
            assertEquals(400, refused.statusCode(), refused.body().asString());
            assertEquals("invalid_grant", refused.jsonPath().getString("error"));
            assertEquals(false, introspectedActive(g.web().id(), secret, g.access()));
            // The client itself goes on: a person's new grant, made with the new secret, works.
            Request request = Request.cli().with(g.web().id(), "https://app.example.com/oauth/callback");
            String access = AuthorizationCodeFlowTest.exchange(g.web().id(), secret,
                    AuthorizationCodeFlowTest.code(authorize(new Browser(), request, People.signedIn())),
                    request.redirectUri(), request.verifier()).statusCode(200).extract().path("access_token");
            given().auth().oauth2(access).when().get("/v1/me").then().statusCode(200);
        }
    }

    /** The payload of a JWT (the signature is checked where it matters, by the endpoints under test). */
    static JsonPath claims(String jwt) {
        return new JsonPath(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    static Client register(String id) {
        String secret = given().auth().oauth2(operator()).contentType(ContentType.JSON)
                .body(Map.of("client_id", id, "name", "Acme Web", "client_type", "confidential", "redirect_uris",
                        java.util.List.of("https://app.example.com/oauth/callback")))
                .when().post("/v1/admin/clients").then().statusCode(201).extract().path("client_secret");
        return new Client(id, secret);
    }

    /** Signs in on the page and allows: the redirect back to the client (Location). */
    static String authorize(Browser browser, Request request, SignedIn who) {
        String publicUrl = ConfigProvider.getConfig().getValue("latchkey.identity.public-url", String.class);
        Response page = browser.follow(browser.get(request.url()), publicUrl);
        if (page.statusCode() == 200 && page.body().asString().contains("id=\"sign-in\"")) {
            String html = page.body().asString();
            page = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                    "csrf", Browser.field(html, "csrf"), "email", who.email(), "password", People.PASSWORD)), publicUrl);
        }
        assertEquals(200, page.statusCode(), page.body().asString());
        String html = page.body().asString();
        Response back = browser.post("/v1/oauth/consent", Map.of("request", Browser.field(html, "request"),
                "csrf", Browser.field(html, "csrf"), "decision", "allow"));
        assertEquals(302, back.statusCode(), back.body().asString());
        return back.header("Location");
    }
}
