package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.ClientGrants.allow;
import static dev.latchkey.identity.rest.ClientGrants.back;
import static dev.latchkey.identity.rest.ClientGrants.exchange;
import static dev.latchkey.identity.rest.ClientGrants.refresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.latchkey.identity.rest.ClientGrants.Authorization;
import dev.latchkey.identity.rest.ClientGrants.Registered;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * RFC 8707 resource indicators (issue 23): a client asks for a token whose {@code aud} is one resource server
 * registered for it; such a token is refused by Latchkey's own services, and a resource server verifying with
 * another party's JOSE library (Nimbus) sees its own audience.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class ResourceIndicatorsTest {

    static final String LEDGER = "https://ledger.example.com/";
    static final String REPORTS = "urn:example:reports";
    static final String ELSEWHERE = "https://elsewhere.example.com/";

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    /** A resource server's verification with Nimbus: signature by the JWKS over HTTP, iss, exp and its own aud. */
    static JWTClaimsSet verifyAs(String audience, String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, JWKSourceBuilder
                .create(URI.create(IdentityTokens.ISSUER + "/.well-known/jwks.json").toURL()).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(IdentityTokens.ISSUER).build(), Set.of("sub", "exp", "jti")));
        return processor.process(token, null);
    }

    record Granted(Registered client, JsonPath tokens) {
        String access() {
            return tokens.getString("access_token");
        }
    }

    Granted granted(Registered client, String... resources) {
        String[] extra = new String[resources.length * 2];
        for (int i = 0; i < resources.length; i++) {
            extra[2 * i] = "resource";
            extra[2 * i + 1] = resources[i];
        }
        Authorization request = Authorization.of(client.id(), extra);
        String location = allow(new Browser(), request.url(), People.signedIn(), null, publicUrl);
        String[] form = new String[resources.length == 0 ? 0 : 2];
        if (resources.length > 0) {
            form[0] = "resource";
            form[1] = resources[0];
        }
        return new Granted(client, exchange(client, location, request, form).statusCode(200).extract().jsonPath());
    }

    @Nested
    class TheRegistry {

        @Test
        void aClientIsRegisteredWithTheResourcesItMayAskFor() {
            Registered client = ClientGrants.confidential(List.of(LEDGER, REPORTS), false);
            var operator = given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken());
            operator.when().get("/v1/admin/clients/" + client.id()).then().statusCode(200)
                    .body("resources", contains(LEDGER, REPORTS));
            given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken())
                    .contentType("application/json").body("{\"resources\":[\"" + REPORTS + "\"]}").when()
                    .patch("/v1/admin/clients/" + client.id()).then().statusCode(200)
                    .body("resources", contains(REPORTS));
            given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken())
                    .contentType("application/json").body("{\"resources\":[]}").when()
                    .patch("/v1/admin/clients/" + client.id()).then().statusCode(200).body("resources", empty());
        }

        @Test
        void aResourceThatIsNoAbsoluteUriIsRefused() {
            for (String bad : List.of("ledger", "/api", "https://ledger.example.com/#part", "https:")) {
                ClientGrants.register("{\"client_id\":\"rp-bad-resource\",\"client_type\":\"confidential\","
                        + "\"redirect_uris\":[\"" + ClientGrants.WEB_REDIRECT + "\"],\"resources\":[\"" + bad + "\"]}")
                        .statusCode(400).body("code", equalTo("validation_failed"));
            }
        }
    }

    @Nested
    class Audience {

        @Test
        void aTokenForAResourceCarriesItsAudienceAndLatchkeyRefusesIt() throws Exception {
            Granted g = granted(ClientGrants.confidential(List.of(LEDGER), false), LEDGER);
            JWTClaimsSet claims = verifyAs(LEDGER, g.access());
            assertEquals(List.of(LEDGER), claims.getAudience());
            // Latchkey's own services verify aud against their setting: this token is not for them.
            given().header("Authorization", "Bearer " + g.access()).when().get("/v1/me").then().statusCode(401);
            given().header("Authorization", "Bearer " + g.access()).when().get("/v1/oauth/userinfo").then()
                    .statusCode(401);
            // And a resource server expecting another audience refuses it.
            assertThrows(BadJOSEException.class, () -> verifyAs("latchkey", g.access()));

            // Refresh: the resource again, or nothing for Latchkey's own audience.
            JsonPath next = refresh(g.client(), g.tokens().getString("refresh_token"), "resource", LEDGER)
                    .statusCode(200).extract().jsonPath();
            assertEquals(List.of(LEDGER), verifyAs(LEDGER, next.getString("access_token")).getAudience());
            String own = refresh(g.client(), next.getString("refresh_token")).statusCode(200).extract()
                    .path("access_token");
            assertEquals(List.of("latchkey"), verifyAs("latchkey", own).getAudience());
            // Accepted by Latchkey again (userinfo: what its scopes open; /v1/me would need `account`).
            given().header("Authorization", "Bearer " + own).when().get("/v1/oauth/userinfo").then().statusCode(200);
        }

        @Test
        void aGrantForSeveralResourcesGivesATokenForOneOfThemAtATime() throws Exception {
            Registered client = ClientGrants.confidential(List.of(LEDGER, REPORTS), false);
            Granted g = granted(client, REPORTS, LEDGER);
            assertEquals(List.of(REPORTS), verifyAs(REPORTS, g.access()).getAudience());
            String ledger = refresh(client, g.tokens().getString("refresh_token"), "resource", LEDGER).statusCode(200)
                    .extract().path("access_token");
            assertEquals(List.of(LEDGER), verifyAs(LEDGER, ledger).getAudience());
        }

        @Test
        void theConsentPageNamesTheResources() {
            Registered client = ClientGrants.confidential(List.of(LEDGER), false);
            SignedIn ada = People.signedIn();
            Browser browser = new Browser();
            String html = browser.follow(browser.get(Authorization.of(client.id(), "resource", LEDGER).url()),
                    publicUrl).body().asString();
            html = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                    "csrf", Browser.field(html, "csrf"), "email", ada.email(), "password", People.PASSWORD)), publicUrl)
                    .body().asString();
            AuthorizationCodeFlowTest.assertThat(html, "id=\"consent\"");
            AuthorizationCodeFlowTest.assertThat(html, LEDGER);
        }

        @Test
        void withoutAResourceTheTokenIsLatchkeys() throws Exception {
            Granted g = granted(ClientGrants.confidential(List.of(LEDGER), false));
            assertEquals(List.of("latchkey"), verifyAs("latchkey", g.access()).getAudience());
            given().header("Authorization", "Bearer " + g.access()).when().get("/v1/oauth/userinfo").then()
                    .statusCode(200);
        }

        @Test
        void aServiceClientAsksForAConfiguredResource() throws Exception {
            String token = given().formParam("grant_type", "client_credentials").formParam("client_id", "operator")
                    .formParam("client_secret", GatedAndOperatedTest.OPERATOR_SECRET).formParam("resource", LEDGER)
                    .when().post("/v1/oauth/token").then().statusCode(200).extract().path("access_token");
            assertEquals(List.of(LEDGER), verifyAs(LEDGER, token).getAudience());
            given().formParam("grant_type", "client_credentials").formParam("client_id", "operator")
                    .formParam("client_secret", GatedAndOperatedTest.OPERATOR_SECRET).formParam("resource", ELSEWHERE)
                    .when().post("/v1/oauth/token").then().statusCode(400).body("error", equalTo("invalid_target"));
        }
    }

    @Nested
    class InvalidTarget {

        @Test
        void anUnregisteredResourceAtTheAuthorizationEndpointGoesBackAsInvalidTarget() {
            Registered client = ClientGrants.confidential(List.of(LEDGER), false);
            Authorization request = Authorization.of(client.id(), "resource", ELSEWHERE);
            var r = new Browser().get(request.url());
            assertEquals(302, r.statusCode());
            Map<String, String> q = back(r.header("Location"));
            assertEquals("invalid_target", q.get("error"));
            assertEquals(request.state(), q.get("state"));
            assertEquals(IdentityTokens.ISSUER, q.get("iss"));
        }

        @Test
        void anUnregisteredOrSecondResourceAtTheTokenEndpointIsInvalidTargetAndTheCodeStaysUsable() throws Exception {
            Registered client = ClientGrants.confidential(List.of(LEDGER, REPORTS), false);
            Authorization request = Authorization.of(client.id(), "resource", LEDGER);
            String location = allow(new Browser(), request.url(), People.signedIn(), null, publicUrl);
            exchange(client, location, request, "resource", ELSEWHERE).statusCode(400)
                    .body("error", equalTo("invalid_target"));
            // Registered, but not asked for at the authorization endpoint: not within the grant.
            exchange(client, location, request, "resource", REPORTS).statusCode(400)
                    .body("error", equalTo("invalid_target"));
            exchange(client, location, request, "resource", LEDGER, "resource", REPORTS).statusCode(400)
                    .body("error", equalTo("invalid_target"));
            String access = exchange(client, location, request, "resource", LEDGER).statusCode(200).extract()
                    .path("access_token");
            assertEquals(List.of(LEDGER), verifyAs(LEDGER, access).getAudience());
        }

        @Test
        void atRefreshTheResourceMustBeWithinTheGrantAndARefusalConsumesNothing() throws Exception {
            Registered client = ClientGrants.confidential(List.of(LEDGER, REPORTS), false);
            Granted g = granted(client, LEDGER);
            String refreshToken = g.tokens().getString("refresh_token");
            refresh(client, refreshToken, "resource", REPORTS).statusCode(400).body("error", equalTo("invalid_target"));
            refresh(client, refreshToken, "resource", ELSEWHERE).statusCode(400).body("error", equalTo("invalid_target"));
            String access = refresh(client, refreshToken, "resource", LEDGER).statusCode(200).extract()
                    .path("access_token");
            assertEquals(List.of(LEDGER), verifyAs(LEDGER, access).getAudience());
        }

        @Test
        void aResourceNoLongerRegisteredIsRefusedAtRefresh() {
            Registered client = ClientGrants.confidential(List.of(LEDGER), false);
            Granted g = granted(client, LEDGER);
            given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken())
                    .contentType("application/json").body("{\"resources\":[]}").when()
                    .patch("/v1/admin/clients/" + client.id()).then().statusCode(200);
            refresh(client, g.tokens().getString("refresh_token"), "resource", LEDGER).statusCode(400)
                    .body("error", equalTo("invalid_target"));
        }
    }
}
