package dev.latchkey.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import dev.latchkey.testing.FakeLatchkey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class ServiceBasicsTest {

    @Test
    void readinessChecksPostgresAndRedis() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check",
                        "Redis connection health check"));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void unknownRouteIsJson404() {
        given().when().get("/v1/webhooks/nothing").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", equalTo("not_found"));
    }

    @Test
    void openApiDeclaresBothSecuritySchemes() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("Latchkey webhook-gateway"))
                .body("components.securitySchemes.bearer.bearerFormat", equalTo("JWT"))
                .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"));
    }
}
