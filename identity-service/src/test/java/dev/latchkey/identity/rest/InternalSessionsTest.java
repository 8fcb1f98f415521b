package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The session endpoints the other services use: revocation resync, checks, ending sessions of an organization. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class InternalSessionsTest {

    @BeforeEach
    void installTenant() {
        FakeTenant.install();
    }

    /** tenant-service's service token, by client credentials at identity (it holds sessions.read and sessions.end). */
    static String tenantService() {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", "tenant-service")
                .formParam("client_secret", "dev-tenant-service-secret").when().post("/v1/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    static String operator() {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", "operator")
                .formParam("client_secret", "dev-operator-secret").when().post("/v1/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    @Test
    void aSessionIsActiveUntilItEndsThenListedAsEnded() {
        SignedIn ada = People.signedIn();
        String service = tenantService();
        given().auth().oauth2(service).when().get("/internal/v1/sessions/" + ada.sessionId())
                .then().statusCode(200).body("active", equalTo(true)).body("deny_until", equalTo(0));
        long since = System.currentTimeMillis() / 1000 - 1;
        given().header("Authorization", ada.bearer()).when().post("/v1/auth/logout").then().statusCode(204);
        given().auth().oauth2(service).when().get("/internal/v1/sessions/" + ada.sessionId())
                .then().statusCode(200).body("active", equalTo(false));
        given().auth().oauth2(service).queryParam("since", since).when().get("/internal/v1/sessions/ended")
                .then().statusCode(200).body("sessions.id", hasItem(ada.sessionId()));
    }

    @Test
    void anUnknownSessionIsNotActive() {
        given().auth().oauth2(tenantService()).when().get("/internal/v1/sessions/" + UUID.randomUUID())
                .then().statusCode(200).body("active", equalTo(false));
        given().auth().oauth2(tenantService()).when().get("/internal/v1/sessions/not-a-uuid")
                .then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void endingAnOrganizationsSessionsEndsOnlyThose() {
        SignedIn ada = People.signedIn();
        SignedIn bob = People.signedIn();
        String adasOrg = ada.tokens().getString("organization.id");
        given().auth().oauth2(tenantService()).contentType(ContentType.JSON)
                .body("{\"organization_id\":\"" + adasOrg + "\"}").when().post("/internal/v1/sessions/end")
                .then().statusCode(200).body("ended", equalTo(1));
        given().header("Authorization", ada.bearer()).when().get("/v1/me").then().statusCode(401);
        given().header("Authorization", bob.bearer()).when().get("/v1/me").then().statusCode(200);
    }

    @Test
    void endingOneMembersSessionsInAnOrganization() {
        SignedIn ada = People.signedIn();
        SignedIn adaAgain = People.again(ada);
        String org = ada.tokens().getString("organization.id");
        given().auth().oauth2(tenantService()).contentType(ContentType.JSON)
                .body("{\"organization_id\":\"" + org + "\",\"user_id\":\"" + ada.userId() + "\"}")
                .when().post("/internal/v1/sessions/end").then().statusCode(200).body("ended", equalTo(2));
        given().header("Authorization", adaAgain.bearer()).when().get("/v1/me").then().statusCode(401);
    }

    @Test
    void onlyServicesWithTheScopeMayAsk() {
        SignedIn ada = People.signedIn();
        given().when().get("/internal/v1/sessions/" + ada.sessionId()).then().statusCode(401);
        given().header("Authorization", ada.bearer()).when().get("/internal/v1/sessions/" + ada.sessionId())
                .then().statusCode(403).body("code", equalTo("access_denied"));
        given().auth().oauth2(operator()).contentType(ContentType.JSON)
                .body("{\"organization_id\":\"" + UUID.randomUUID() + "\"}").when().post("/internal/v1/sessions/end")
                .then().statusCode(403);
        given().auth().oauth2(tenantService()).contentType(ContentType.JSON)
                .body("{\"organization_id\":\"nope\"}").when().post("/internal/v1/sessions/end")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
    }
}
