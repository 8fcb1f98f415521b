package dev.latchkey.tenant.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class CallerResourceTest {

    @Test
    void meReturnsTheTokensIdentity() {
        String tenant = UUID.randomUUID().toString();
        given().header("Authorization", "Bearer " + TestTokens.access(tenant, "organizations:read", "x:y").sign())
                .when().get("/v1/me")
                .then().statusCode(200)
                .body("tenant_id", equalTo(tenant))
                .body("scopes", hasItems("organizations:read", "x:y"))
                .body("token_use", equalTo("access"));
    }

    @Test
    void meWithoutTokenIs401() {
        given().when().get("/v1/me").then().statusCode(401).body("code", equalTo("auth_required"));
    }

    @Test
    void pingNeedsNothing() {
        given().when().get("/v1/ping").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void unknownRouteIsJson404() {
        given().when().get("/v1/nothing-here").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", equalTo("not_found"));
        given().when().get("/totally/elsewhere").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", equalTo("not_found"));
    }

    @Test
    void wrongMethodIsJson405() {
        given().when().delete("/v1/ping").then().statusCode(405).contentType(ContentType.JSON)
                .body("code", equalTo("method_not_allowed"));
    }

    @Test
    void oversizedBodyIsJson413() {
        given().contentType(ContentType.JSON).body("{\"name\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}")
                .when().post("/v1/tenants")
                .then().statusCode(413).contentType(ContentType.JSON).body("code", equalTo("payload_too_large"));
    }

    @Test
    void callerRequestIdIsEchoedInErrors() {
        given().header("X-Request-Id", "trace-123").when().get("/v1/me")
                .then().statusCode(401).body("request_id", equalTo("trace-123"));
    }

    @Test
    void openApiDeclaresBearerAndApiKeySchemes() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("components.securitySchemes.apiKey.in", equalTo("header"))
                .body("paths.'/v1/organizations/{id}'.get.security[0]", hasKey("bearer"))
                .body("paths.'/v1/organizations/{id}'.get", not(hasKey("requestBody")))
                .body("paths.'/v1/me'.get", not(hasKey("requestBody")));
    }

    @Test
    void openApiDeclaresTheSharedErrorResponsesOnOrganizationEndpoints() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/v1/organizations/{id}/members'.get.responses", hasKey("401"))
                .body("paths.'/v1/organizations/{id}/members'.get.responses", hasKey("403"))
                .body("paths.'/v1/organizations/{id}/members'.get.responses", hasKey("404"))
                .body("paths.'/v1/organizations/{id}/members/{userId}'.patch.responses", hasKey("409"))
                .body("paths.'/v1/invitations/{token}/accept'.post.responses", hasKey("410"))
                .body("paths.'/internal/v1/users/{userId}/onboard'.post.responses", hasKey("401"));
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void readinessChecksPostgres() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check"));
    }

    @Test
    void errorsNeverLeakStackTraces() {
        given().contentType(ContentType.JSON).body("[1,2,")
                .when().post("/v1/tenants")
                .then().statusCode(400).body(not(containsString("at io.")));
    }
}
