package dev.latchkey.apikey.rest;

import static org.hamcrest.Matchers.nullValue;
import static dev.latchkey.apikey.rest.Fixtures.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.rest.Fixtures.Org;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;

/** Organization A's keys and tokens can never list, read, rename, rotate or revoke organization B's keys. */
@QuarkusTest
class CrossOrganizationTest {

    @BeforeEach
    void tenantUp() {
        Fixtures.tenantAcceptsAudit();
    }

    @Test
    void everyCredentialOfAGets404ForEveryOperationOnBsKeys() {
        Org a = Fixtures.org();
        Org b = Fixtures.org();
        String[] aKey = Fixtures.adminKey(a);
        JsonPath bKey = Fixtures.create(b.owner());
        String bId = bKey.getString("id");

        String exchanged = Fixtures.exchanged(a.id(), aKey[0], "read_write", Map.of("type", "organization"));
        Map<String, Supplier<RequestSpecification>> credentials = new LinkedHashMap<>();
        credentials.put("A's owner token", () -> bearer(a.owner()));
        credentials.put("A's admin token", () -> bearer(a.admin()));
        credentials.put("A's member token", () -> bearer(a.member()));
        credentials.put("A's key as bearer", () -> bearer(aKey[1]));
        credentials.put("A's key as X-API-Key", () -> given().contentType(ContentType.JSON).header("X-API-Key", aKey[1]));
        credentials.put("A's exchanged token", () -> bearer(exchanged));

        for (var entry : credentials.entrySet()) {
            String who = entry.getKey();
            Supplier<RequestSpecification> as = entry.getValue();
            List<String> listed = as.get().get("/v1/api-keys").then().statusCode(200).extract().jsonPath().getList("data.id");
            assertFalse(listed.contains(bId), who + " listed B's key");
            assertEquals(404, as.get().get("/v1/api-keys/" + bId).statusCode(), who + " read B's key");
            assertEquals(404, as.get().body("{\"name\":\"pwned\"}").patch("/v1/api-keys/" + bId).statusCode(),
                    who + " renamed B's key");
            // A member may manage only their own keys; B's key answers as one that does not exist.
            assertEquals(404, as.get().body("{}").post("/v1/api-keys/" + bId + "/rotate").statusCode(),
                    who + " rotated B's key");
            assertEquals(404, as.get().delete("/v1/api-keys/" + bId).statusCode(), who + " revoked B's key");
        }
        // B's organization id forged into A's token: the signature no longer holds.
        bearer(dev.latchkey.testing.TestTokens.tampered(a.owner(), b.id())).get("/v1/api-keys").then().statusCode(401);
        bearer(b.owner()).get("/v1/api-keys/" + bId).then().statusCode(200).body("name", equalTo(bKey.getString("name")))
                .body("status", equalTo("active")).body("rotated_to", nullValue());
        Fixtures.verifyStatus(bKey.getString("key"), "VALID");
    }
}
