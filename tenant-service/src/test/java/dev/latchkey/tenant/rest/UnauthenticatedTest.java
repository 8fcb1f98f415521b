package dev.latchkey.tenant.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every endpoint that needs a caller answers 401 auth_required without one, before looking at anything else. */
@QuarkusTest
class UnauthenticatedTest {

    static final String ORG = UUID.randomUUID().toString();
    static final String USER = UUID.randomUUID().toString();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /v1/organizations",
            "GET, /v1/organizations/{org}",
            "PATCH, /v1/organizations/{org}",
            "DELETE, /v1/organizations/{org}",
            "GET, /v1/me/organizations",
            "GET, /v1/organizations/{org}/members",
            "PATCH, /v1/organizations/{org}/members/{user}",
            "DELETE, /v1/organizations/{org}/members/{user}",
            "DELETE, /v1/organizations/{org}/members/me",
            "POST, /v1/organizations/{org}/invitations",
            "GET, /v1/organizations/{org}/invitations",
            "DELETE, /v1/organizations/{org}/invitations/{user}",
            "POST, /v1/invitations/lki_0000000000000000000000000000000000000000000/accept",
            "GET, /v1/organizations/{org}/audit",
            "GET, /internal/v1/users/{user}/memberships",
            "GET, /internal/v1/organizations/{org}/members/{user}",
            "POST, /internal/v1/users/{user}/onboard",
            "POST, /internal/v1/audit-events" })
    void withoutATokenIs401(String method, String path) {
        given().contentType(ContentType.JSON).body("{}")
                .when().request(method, path.replace("{org}", ORG).replace("{user}", USER))
                .then().statusCode(401).body("code", equalTo("auth_required"));
    }
}
