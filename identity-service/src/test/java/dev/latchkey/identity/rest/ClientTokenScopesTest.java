package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A token issued to an OAuth client names its client and carries exactly the granted scopes, and opens only the
 * endpoints those scopes name (issue 23, 2 and 3): with {@code openid} alone a client signs a person in and reads
 * userinfo, and can neither read nor end the person's sessions nor act in another organization.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class ClientTokenScopesTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    /** The tokens a client gets for {@code who} after the person allowed {@code scope}. */
    JsonPath granted(SignedIn who, String scope) {
        Request request = new Request(AuthorizationCodeFlowTest.CLI, AuthorizationCodeFlowTest.CLI_REDIRECT, scope,
                AuthorizationCodeFlowTest.verifier(), "st-" + UUID.randomUUID(), "n-" + UUID.randomUUID(), "laptop");
        AuthorizationCodeFlowTest pages = new AuthorizationCodeFlowTest();
        pages.publicUrl = publicUrl;
        String location = pages.authorize(new Browser(), request, who);
        return AuthorizationCodeFlowTest.exchange(request.clientId(), null, AuthorizationCodeFlowTest.code(location),
                request.redirectUri(), request.verifier()).statusCode(200).extract().jsonPath();
    }

    static String bearer(JsonPath tokens) {
        return "Bearer " + tokens.getString("access_token");
    }

    @Nested
    class WithOpenIdAlone {

        @Test
        void theClientCannotReadThePersonsSessions() {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "openid");
            given().header("Authorization", bearer(client)).when().get("/v1/sessions").then().statusCode(403)
                    .body("code", equalTo("scope_insufficient"))
                    .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_scope\", scope=\"sessions\""));
        }

        @Test
        void theClientCannotEndThePersonsSessions() {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "openid");
            given().header("Authorization", bearer(client)).when().delete("/v1/sessions/" + ada.sessionId()).then()
                    .statusCode(403).body("code", equalTo("scope_insufficient"));
            given().header("Authorization", bearer(client)).when().delete("/v1/sessions").then().statusCode(403)
                    .body("code", equalTo("scope_insufficient"));
            // The person's own sign-in is untouched.
            given().header("Authorization", ada.bearer()).when().get("/v1/sessions").then().statusCode(200);
            People.refresh(ada.refreshToken()).statusCode(200);
        }

        @Test
        void theClientCannotSwitchToAnotherOrganization() {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "openid");
            String team = FakeTenant.join(ada.userId(), "Team", "owner");
            given().header("Authorization", bearer(client)).contentType(ContentType.JSON)
                    .body("{\"organization_id\":\"" + team + "\"}").when().post("/v1/auth/switch-org").then()
                    .statusCode(403).body("code", equalTo("scope_insufficient"))
                    .body("message", containsString("new authorization"));
        }

        @Test
        void theClientReadsUserinfoButNotTheAccount() {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "openid");
            given().header("Authorization", bearer(client)).when().get("/v1/oauth/userinfo").then().statusCode(200)
                    .body("sub", equalTo(ada.userId()));
            given().header("Authorization", bearer(client)).when().get("/v1/me").then().statusCode(403)
                    .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_scope\", scope=\"account\""));
            given().header("Authorization", bearer(client)).contentType(ContentType.JSON).body("{}").when()
                    .post("/v1/auth/verify-email/resend").then().statusCode(403);
            given().header("Authorization", bearer(client)).contentType(ContentType.JSON)
                    .body("{\"current_password\":\"" + People.PASSWORD + "\",\"new_password\":\"another long pass 77\"}")
                    .when().post("/v1/auth/password").then().statusCode(403);
        }
    }

    @Nested
    class WithTheScopesThatOpenLatchkeysApi {

        @Test
        void sessionsOpensTheSessionsEndpoints() {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "openid sessions");
            given().header("Authorization", bearer(client)).when().get("/v1/sessions").then().statusCode(200);
            given().header("Authorization", bearer(client)).when().delete("/v1/sessions/" + ada.sessionId()).then()
                    .statusCode(204);
            given().header("Authorization", bearer(client)).when().get("/v1/me").then().statusCode(403);
        }

        @Test
        void accountOpensMe() {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "openid account");
            given().header("Authorization", bearer(client)).when().get("/v1/me").then().statusCode(200)
                    .body("user.id", equalTo(ada.userId()));
        }

        @Test
        void aUserinfoCallNeedsOpenId() {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "sessions");
            given().header("Authorization", bearer(client)).when().get("/v1/oauth/userinfo").then().statusCode(403)
                    .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_scope\", scope=\"openid\""));
        }
    }

    @Nested
    class TheTokenNamesItsClientAndScope {

        @Test
        void aGrantsTokenAndItsRefreshCarryClientIdAndExactlyTheGrantedScopes() throws Exception {
            SignedIn ada = People.signedIn();
            JsonPath client = granted(ada, "openid email sessions");
            JwtClaims claims = IdentityTokens.verify(client.getString("access_token"));
            assertEquals(AuthorizationCodeFlowTest.CLI, claims.getStringClaimValue("client_id"));
            assertEquals("openid email sessions", claims.getStringClaimValue("scope"));
            String refreshed = given().formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", client.getString("refresh_token"))
                    .formParam("client_id", AuthorizationCodeFlowTest.CLI).when().post("/v1/oauth/token").then()
                    .statusCode(200).extract().path("access_token");
            JwtClaims again = IdentityTokens.verify(refreshed);
            assertEquals(AuthorizationCodeFlowTest.CLI, again.getStringClaimValue("client_id"));
            assertEquals("openid email sessions", again.getStringClaimValue("scope"));
            given().header("Authorization", "Bearer " + refreshed).when().get("/v1/me").then().statusCode(403);
            given().header("Authorization", "Bearer " + refreshed).when().get("/v1/sessions").then().statusCode(200);
        }

        @Test
        void aFirstPartySignInNamesNoClientAndStaysUnrestricted() throws Exception {
            SignedIn ada = People.signedIn();
            JwtClaims claims = IdentityTokens.verify(ada.accessToken());
            assertNull(claims.getClaimValue("client_id"));
            String refreshed = People.refresh(ada.refreshToken()).statusCode(200).extract().path("access_token");
            assertNull(IdentityTokens.verify(refreshed).getClaimValue("client_id"));
            given().header("Authorization", "Bearer " + refreshed).when().get("/v1/me").then().statusCode(200);
            given().header("Authorization", "Bearer " + refreshed).when().get("/v1/sessions").then().statusCode(200);
        }
    }
}
