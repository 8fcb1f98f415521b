package dev.latchkey.e2e.tenant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.latchkey.e2e.Suite;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * tenant-service in the production build, with tokens that the real identity-service signs for a real
 * apikey-service key: an organization made by the bootstrap has no owner, and its first key, acting as an admin,
 * renames it, invites its first owner, reads the audit log, and may not delete it. People's flows (register, sign
 * in, switch organization) run through identity-service and are tested there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrganizationKeyFlowTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String TENANT = Suite.url(Suite.TENANT);

    static Suite suite;
    static String organizationId;
    static String apiKey;
    static String token;

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
        JsonPath created = given().contentType(ContentType.JSON).body("{\"name\":\"Key Flow Ltd\"}")
                .when().post(TENANT + "/v1/tenants")
                .then().statusCode(201).body("organization.slug", startsWith("key-flow-ltd"))
                .extract().jsonPath();
        organizationId = created.getString("organization.id");
        apiKey = created.getString("api_key.key");
        token = given().contentType(ContentType.JSON).body("{\"api_key\":\"" + apiKey + "\"}")
                .when().post(IDENTITY + "/v1/auth/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    @Order(1)
    void theFirstKeyRenamesTheOrganization() {
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"name\":\"Key Flow Limited\",\"slug\":\"key-flow\"}")
                .when().patch(TENANT + "/v1/organizations/" + organizationId)
                .then().statusCode(200).body("name", equalTo("Key Flow Limited")).body("slug", equalTo("key-flow"));
    }

    @Test
    @Order(2)
    void itInvitesTheFirstOwnerPresentedAsTheKeyItself() {
        given().header("X-API-Key", apiKey).contentType(ContentType.JSON)
                .body("{\"email\":\"founder@example.test\",\"role\":\"owner\"}")
                .when().post(TENANT + "/v1/organizations/" + organizationId + "/invitations")
                .then().statusCode(201).body("role", equalTo("owner")).body("status", equalTo("pending"));
        given().header("Authorization", "Bearer " + token)
                .when().get(TENANT + "/v1/organizations/" + organizationId + "/invitations")
                .then().statusCode(200).body("invitations", hasSize(1))
                .body("invitations[0].email", equalTo("founder@example.test"));
    }

    @Test
    @Order(3)
    void theAuditLogShowsWhatHappenedAndWho() {
        given().header("Authorization", "Bearer " + token)
                .when().get(TENANT + "/v1/organizations/" + organizationId + "/audit")
                .then().statusCode(200)
                .body("events.action", hasItems("organization.created", "organization.updated", "invitation.created"))
                .body("events[0].actor.type", equalTo("api_key"));
    }

    @Test
    @Order(4)
    void theSwitcherListOfAKeyIsItsOwnOrganization() {
        given().header("Authorization", "Bearer " + token).when().get(TENANT + "/v1/me/organizations")
                .then().statusCode(200).body("organizations", hasSize(1))
                .body("organizations[0].id", equalTo(organizationId)).body("organizations[0].role", equalTo("admin"));
    }

    @Test
    @Order(5)
    void noKeyMayDeleteTheOrganization() {
        given().header("Authorization", "Bearer " + token)
                .when().delete(TENANT + "/v1/organizations/" + organizationId)
                .then().statusCode(403).body("code", equalTo("access_denied"));
        given().header("Authorization", "Bearer " + token)
                .when().get(TENANT + "/v1/organizations/" + organizationId)
                .then().statusCode(200);
    }

    @Test
    @Order(6)
    void anotherOrganizationsKeySeesNothingOfIt() {
        String otherKey = given().contentType(ContentType.JSON).body("{\"name\":\"Other\"}")
                .when().post(TENANT + "/v1/tenants").then().statusCode(201).extract().path("api_key.key");
        for (String path : new String[] { "", "/members", "/invitations", "/audit" }) {
            given().header("X-API-Key", otherKey)
                    .when().get(TENANT + "/v1/organizations/" + organizationId + path)
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }
    }
}
