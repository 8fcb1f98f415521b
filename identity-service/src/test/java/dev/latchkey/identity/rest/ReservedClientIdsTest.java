package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * An ID token's {@code aud} is its client's id (OpenID Connect Core §2). A client whose id were the audience
 * Latchkey's services verify would receive ID tokens that pass their audience check: such ids are reserved, and
 * the services refuse any token without {@code token_use} (an ID token has none) whatever its audience.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class ReservedClientIdsTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @ConfigProperty(name = "latchkey.identity.audience")
    String audience;

    @jakarta.inject.Inject
    Pool pool;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    @Test
    void anIdTokenWhoseAudienceIsLatchkeysIsNoAccessToken() throws Exception {
        // A client named like the audience, as it could be registered before the ids were reserved.
        pool.preparedQuery("insert into identity.oauth_clients (id, name, client_type, redirect_uris) values ($1,"
                + " 'Confusing', 'public', $2) on conflict (id) do nothing")
                .execute(Tuple.of(audience, AuthorizationCodeFlowTest.CLI_REDIRECT)).await().indefinitely();
        try {
            idTokenRefused();
        } finally {
            pool.preparedQuery("delete from identity.oauth_clients where id = $1").execute(Tuple.of(audience)).await()
                    .indefinitely();
        }
    }

    private void idTokenRefused() throws Exception {
        AuthorizationCodeFlowTest.Request request = AuthorizationCodeFlowTest.Request.cli()
                .with(audience, AuthorizationCodeFlowTest.CLI_REDIRECT);
        String location = ClientGrants.allowAt(new Browser(), request.url(), People.signedIn(), publicUrl);
        JsonPath tokens = AuthorizationCodeFlowTest.exchange(audience, null, AuthorizationCodeFlowTest.code(location),
                AuthorizationCodeFlowTest.CLI_REDIRECT, request.verifier()).statusCode(200).extract().jsonPath();
        String idToken = tokens.getString("id_token");
        JwtClaims id = IdentityTokens.verifyIdToken(idToken, audience);
        assertEquals(List.of(audience), id.getAudience());

        // The access token works; the ID token, with the same audience, sid and sub, does not.
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).when().get("/v1/me").then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + idToken).when().get("/v1/me").then().statusCode(401)
                .body("code", equalTo("auth_required"));
        given().header("Authorization", "Bearer " + idToken).when().get("/v1/sessions").then().statusCode(401);
        given().header("Authorization", "Bearer " + idToken).when().get("/v1/oauth/userinfo").then().statusCode(401);
    }

    @Test
    void theAudienceAndLatchkeysOwnClientIdsCannotBeRegistered() {
        for (String id : List.of(audience, audience.toUpperCase(), "identity-service", "tenant-service",
                "apikey-service", "webhook-gateway", "operator", "latchkey-cli")) {
            ClientGrants.register("{\"client_id\":\"" + id + "\",\"client_type\":\"public\",\"redirect_uris\":[\""
                    + AuthorizationCodeFlowTest.CLI_REDIRECT + "\"]}").statusCode(400)
                    .body("code", equalTo("client_id_reserved")).body("request_id", org.hamcrest.Matchers.notNullValue());
        }
        given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken()).when()
                .get("/v1/admin/clients/" + audience).then().statusCode(404);
    }
}
