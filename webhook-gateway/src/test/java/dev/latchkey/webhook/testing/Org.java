package dev.latchkey.webhook.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A fresh organization per test, its members' tokens, and shortcuts to the gateway's API. */
public final class Org {

    public final String id = UUID.randomUUID().toString();
    public final String owner = token("owner");
    public final String admin = token("admin");
    public final String member = token("member");
    /** Like identity-service's token for an API key of the organization: no roles. */
    public final String apiKeyToken = TestTokens.access(id).sign();

    public String token(String role) {
        return TestTokens.access(id).subject("user:" + UUID.randomUUID()).claim("roles", List.of(role)).sign();
    }

    /** Creates a provider; returns the created provider's JSON (with its secret). */
    public JsonPath provider(String name, String scheme) {
        return provider(Map.of("name", name, "scheme", scheme));
    }

    public JsonPath provider(Map<String, Object> body) {
        return given().auth().oauth2(owner).contentType(ContentType.JSON).body(body)
                .when().post("/v1/webhook-providers")
                .then().statusCode(201).extract().jsonPath();
    }

    public String path(String provider) {
        return "/v1/webhooks/" + id + "/" + provider;
    }

    /** Events of the organization, oldest first. */
    public JsonPath events(String query) {
        return given().auth().oauth2(owner).when().get("/v1/webhook-events" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(200).extract().jsonPath();
    }

    /** A well-formed API key (prefix, random part, checksum) that nobody has presented before. */
    public static String newKey() {
        return dev.latchkey.common.auth.ApiKeyFormat.assemble("lk", dev.latchkey.common.crypto.Secrets.randomBase62(36));
    }

    /** Has FakeLatchkey play identity's client-credentials grant and apikey-service's verification. */
    public static void apiKeysOf(Map<String, String> keyToOrganization) {
        FakeLatchkey.on("POST", "/v1/oauth/token", r -> new FakeLatchkey.Response(200,
                "{\"access_token\":\"" + TestTokens.service("webhook-gateway", "internal:apikeys.verify").sign()
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        FakeLatchkey.on("POST", "/internal/v1/keys/verify", r -> {
            String key = r.body().replaceAll(".*\"key\"\\s*:\\s*\"([^\"]*)\".*", "$1");
            String organization = keyToOrganization.get(key);
            return organization == null
                    ? new FakeLatchkey.Response(200, "{\"valid\":false,\"status\":\"NOT_FOUND\"}")
                    : new FakeLatchkey.Response(200, "{\"valid\":true,\"status\":\"VALID\",\"key_id\":\"k-"
                            + Integer.toHexString(key.hashCode()) + "\",\"organization_id\":\"" + organization
                            + "\",\"capability\":\"read_write\",\"scopes\":[]}");
        });
    }
}
