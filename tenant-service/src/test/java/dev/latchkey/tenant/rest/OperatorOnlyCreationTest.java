package dev.latchkey.tenant.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With self-service creation switched off, only an operator's service token may create organizations. */
@QuarkusTest
@TestProfile(OperatorOnlyCreationTest.SelfServiceOff.class)
class OperatorOnlyCreationTest {

    public static class SelfServiceOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.tenant.self-service", "false");
        }
    }

    @BeforeEach
    void services() {
        FakeServices.healthy();
    }

    private static io.restassured.specification.RequestSpecification create() {
        return given().contentType(ContentType.JSON).body("{\"name\":\"op-" + UUID.randomUUID() + "\"}");
    }

    @Test
    void anonymousIs401() {
        create().when().post("/v1/tenants").then().statusCode(401).body("code", equalTo("auth_required"));
    }

    @Test
    void invalidTokenIs401() {
        create().header("Authorization", "Bearer " + TestTokens.service("operator", "internal:tenants.create")
                .signedByRogueKey().sign())
                .when().post("/v1/tenants").then().statusCode(401);
    }

    @Test
    void tenantTokenIs403EvenIfItClaimsTheScope() {
        create().header("Authorization", "Bearer " + TestTokens.access(UUID.randomUUID().toString(),
                "internal:tenants.create").sign())
                .when().post("/v1/tenants").then().statusCode(403).body("code", equalTo("access_denied"));
    }

    @Test
    void serviceWithoutTheScopeIs403() {
        create().header("Authorization", "Bearer " + TestTokens.service("tenant-service", "internal:apikeys.create").sign())
                .when().post("/v1/tenants").then().statusCode(403);
    }

    @Test
    void operatorTokenIs201() {
        create().header("Authorization", "Bearer " + TestTokens.service("operator", "internal:tenants.create").sign())
                .when().post("/v1/tenants").then().statusCode(201);
    }
}
