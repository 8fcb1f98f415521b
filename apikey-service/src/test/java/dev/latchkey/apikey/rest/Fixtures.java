package dev.latchkey.apikey.rest;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.FakeLatchkey.Response;
import dev.latchkey.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/** Organizations, people and keys for apikey-service's tests; every plaintext key seen is kept for the log scan. */
final class Fixtures {

    /** Every plaintext key any test of this run saw: none may appear in the log. */
    static final List<String> PLAINTEXTS = new CopyOnWriteArrayList<>();

    static final String AUDIT_PATH = "/internal/v1/audit-events";

    private Fixtures() {
    }

    /** An organization with an owner, an admin and a member. */
    record Org(String id, String ownerId, String owner, String admin, String memberId, String member) {
        String person(String role) {
            return user(id, UUID.randomUUID().toString(), role);
        }
    }

    static Org org() {
        String id = UUID.randomUUID().toString();
        String ownerId = UUID.randomUUID().toString();
        String memberId = UUID.randomUUID().toString();
        return new Org(id, ownerId, user(id, ownerId, "owner"), user(id, UUID.randomUUID().toString(), "admin"), memberId,
                user(id, memberId, "member"));
    }

    /** A person's access token in {@code org} with {@code role}, as identity-service issues them. */
    static String user(String org, String userId, String role) {
        return TestTokens.access(org).user(userId, "sid-" + UUID.randomUUID()).roles(role)
                .claim("email", userId.substring(0, 8) + "@example.com").claim("email_verified", true).sign();
    }

    /** A token exchanged from key {@code keyId}, shaped as identity-service's {@code POST /v1/auth/token} makes it. */
    static String exchanged(String org, String keyId, String capability, Map<String, Object> resourceScope) {
        return TestTokens.access(org).subject("apikey:" + keyId).claim("key_id", keyId).claim("capability", capability)
                .roles("read_write".equals(capability) ? "admin" : "member").claim("resource_scope", resourceScope)
                .sign();
    }

    static RequestSpecification bearer(String credential) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + credential);
    }

    static RequestSpecification apiKey(String key) {
        return given().contentType(ContentType.JSON).header("X-API-Key", key);
    }

    /** Creates a key through the public API with {@code credential} (a token or a key as bearer); 201 expected. */
    static JsonPath create(String credential, String body) {
        JsonPath created = bearer(credential).body(body).when().post("/v1/api-keys")
                .then().statusCode(201).extract().jsonPath();
        PLAINTEXTS.add(created.getString("key"));
        return created;
    }

    static JsonPath create(String credential) {
        return create(credential, "{\"name\":\"k-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
    }

    /** A read_write organization-wide key of {@code org}, created by its owner: {id, key}. */
    static String[] adminKey(Org org) {
        JsonPath created = create(org.owner());
        return new String[] { created.getString("id"), created.getString("key") };
    }

    /** A service token that may verify keys, as webhook-gateway or identity holds. */
    static String verifier() {
        return TestTokens.service("webhook-gateway", "internal:apikeys.verify").sign();
    }

    /** The internal verify's answer about {@code key}, without applying its rate limit. */
    static io.restassured.response.Response verifyWith(String key) {
        return bearer(verifier()).body(new JsonObject().put("key", key).put("apply_rate_limit", false).encode())
                .post("/internal/v1/keys/verify");
    }

    static void verifyStatus(String key, String status) {
        verifyWith(key).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo(status));
    }

    /** tenant-service accepts audit events (201) until the next {@link FakeLatchkey#reset()}. */
    static void tenantAcceptsAudit() {
        FakeLatchkey.on("POST", AUDIT_PATH, request -> new Response(201, "{}"));
    }

    /** The audit events FakeLatchkey received for {@code organization}, oldest first. */
    static List<JsonObject> auditEvents(String organization) {
        return FakeLatchkey.received().stream().filter(r -> r.path().equals(AUDIT_PATH))
                .map(r -> new JsonObject(r.body()))
                .filter(e -> organization.equals(e.getString("organization_id")))
                .toList();
    }

    /** {@code key} with one character of its random part changed: a typo. */
    static String typo(String key, int position) {
        char c = key.charAt(position);
        char other = c == 'a' ? 'b' : 'a';
        return key.substring(0, position) + other + key.substring(position + 1);
    }
}
