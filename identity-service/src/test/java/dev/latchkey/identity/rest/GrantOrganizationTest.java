package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.ClientGrants.allow;
import static dev.latchkey.identity.rest.ClientGrants.exchange;
import static dev.latchkey.identity.rest.ClientGrants.refresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.rest.ClientGrants.Authorization;
import dev.latchkey.identity.rest.ClientGrants.Registered;
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
 * The organization a person chose on the pages is part of the grant (issue 23): the client's tokens act there at
 * every refresh, whatever the person does in their own sessions or the client's token asks, and once the person
 * is no longer a member the grant refreshes no more.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class GrantOrganizationTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    record Granted(SignedIn person, String personal, String acme, Registered client, JsonPath tokens) {
    }

    /** Ada, a member of her personal organization and of Acme, lets a client act in Acme. */
    Granted grantInAcme() throws Exception {
        SignedIn ada = People.signedIn();
        String acme = FakeTenant.join(ada.userId(), "Acme", "admin");
        String personal = FakeTenant.of(ada.userId()).stream().filter(FakeTenant.Org::personal).findFirst()
                .orElseThrow().id();
        Registered client = ClientGrants.confidential(List.of(), false);
        Authorization request = Authorization.of(client.id());
        String location = allow(new Browser(), request.url(), ada, acme, publicUrl);
        JsonPath tokens = exchange(client, location, request).statusCode(200).extract().jsonPath();
        assertEquals(acme, IdentityTokens.verify(tokens.getString("access_token")).getStringClaimValue("tenant_id"));
        return new Granted(ada, personal, acme, client, tokens);
    }

    static String tenantOf(String accessToken) throws Exception {
        return IdentityTokens.verify(accessToken).getStringClaimValue("tenant_id");
    }

    @Test
    void refreshKeepsTheOrganizationChosenAtConsentWhateverThePersonDoesElsewhere() throws Exception {
        Granted g = grantInAcme();
        // Ada works in her personal organization in her own session: her "current" organization is that one now.
        given().header("Authorization", g.person().bearer()).contentType(ContentType.JSON)
                .body(Map.of("organization_id", g.personal())).when().post("/v1/auth/switch-org").then()
                .statusCode(200);
        People.again(g.person());
        JsonPath next = refresh(g.client(), g.tokens().getString("refresh_token")).statusCode(200).extract().jsonPath();
        assertEquals(g.acme(), tenantOf(next.getString("access_token")));
    }

    @Test
    void theClientsOwnTokenCannotMoveTheGrantToAnotherOrganization() throws Exception {
        Granted g = grantInAcme();
        // Whether switch-org refuses a client's token or not, the grant stays where the person put it.
        given().header("Authorization", "Bearer " + g.tokens().getString("access_token"))
                .contentType(ContentType.JSON).body(Map.of("organization_id", g.personal())).when()
                .post("/v1/auth/switch-org");
        JsonPath next = refresh(g.client(), g.tokens().getString("refresh_token")).statusCode(200).extract().jsonPath();
        assertEquals(g.acme(), tenantOf(next.getString("access_token")));
        assertEquals(g.acme(), tenantOf(refresh(g.client(), next.getString("refresh_token")).statusCode(200)
                .extract().path("access_token")));
    }

    @Test
    void whenThePersonLeavesTheOrganizationTheGrantNoLongerRefreshes() throws Exception {
        Granted g = grantInAcme();
        FakeTenant.leave(g.person().userId(), g.acme());
        refresh(g.client(), g.tokens().getString("refresh_token")).statusCode(400)
                .body("error", equalTo("invalid_grant")).body("code", equalTo("organization_left"));
        // Not moved to another organization on a later try either: the grant has ended.
        refresh(g.client(), g.tokens().getString("refresh_token")).statusCode(400)
                .body("error", equalTo("invalid_grant"));
        given().header("Authorization", "Bearer " + g.tokens().getString("access_token")).when().get("/v1/me").then()
                .statusCode(401);
    }
}
