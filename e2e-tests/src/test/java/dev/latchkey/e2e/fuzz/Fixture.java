package dev.latchkey.e2e.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.latchkey.e2e.Suite;

/**
 * Real credentials, made through the README's walkthrough, so that fuzzed requests get past authentication
 * and reach validation: an organization with its first API key, that key's access token, a person signed in
 * with a password (their access and refresh tokens), and the service tokens of the two OAuth clients the suite
 * configures.
 *
 * @param known values that pass for a field or parameter of this name (the fuzzer's only knowledge of the API
 *              beyond its OpenAPI documents; a new field falls back to its schema)
 */
record Fixture(String organizationId, String apiKey, String accessToken, String personToken, String serviceToken,
        String operatorToken, Map<String, JsonNode> known) {

    static final String PASSWORD = "fuzzy correct horse battery staple";

    static Fixture create(Suite suite, ObjectMapper json) throws IOException {
        JsonNode tenant = post(json, Suite.TENANT, "/v1/tenants", "application/json",
                "{\"name\":\"fuzz-fixture\"}", 201);
        String organizationId = tenant.path("organization").path("id").asText();
        String apiKey = tenant.path("api_key").path("key").asText();
        String accessToken = post(json, Suite.IDENTITY, "/v1/auth/token", "application/json",
                "{\"api_key\":\"" + apiKey + "\"}", 200).path("access_token").asText();
        String email = "fuzz-" + System.nanoTime() + "@example.com";
        String person = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
        post(json, Suite.IDENTITY, "/v1/auth/register", "application/json",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Fuzz\"}", 201);
        JsonNode login = post(json, Suite.IDENTITY, "/v1/auth/login", "application/json", person, 200);
        String personToken = login.path("access_token").asText();
        String tenantSecret = suite.secret("LATCHKEY_TENANT_SERVICE_CLIENT_SECRET");
        String serviceToken = clientCredentials(json, "tenant-service", tenantSecret);
        String operatorToken = clientCredentials(json, "operator", suite.secret("LATCHKEY_OPERATOR_CLIENT_SECRET"));
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Map<String, JsonNode> known = Map.ofEntries(
                Map.entry("id", nodes.textNode(organizationId)),
                Map.entry("tenant_id", nodes.textNode(organizationId)),
                Map.entry("organization_id", nodes.textNode(organizationId)),
                Map.entry("organizationId", nodes.textNode(organizationId)),
                Map.entry("api_key", nodes.textNode(apiKey)),
                Map.entry("key", nodes.textNode(apiKey)),
                Map.entry("grant_type", nodes.textNode("client_credentials")),
                Map.entry("client_id", nodes.textNode("tenant-service")),
                Map.entry("client_secret", nodes.textNode(tenantSecret)),
                Map.entry("scope", nodes.textNode("internal:apikeys.create")),
                Map.entry("scopes", nodes.arrayNode().add("organizations:read")),
                Map.entry("email", nodes.textNode(email)),
                Map.entry("password", nodes.textNode(PASSWORD)),
                Map.entry("name", nodes.textNode("Fuzz")),
                Map.entry("refresh_token", nodes.textNode(login.path("refresh_token").asText())));
        return new Fixture(organizationId, apiKey, accessToken, personToken, serviceToken, operatorToken, known);
    }

    /** Every bearer token the fixture holds; a fuzzed request with valid credentials uses one of them. */
    List<String> bearerTokens() {
        return List.of(accessToken, personToken, serviceToken, operatorToken);
    }

    private static String clientCredentials(ObjectMapper json, String client, String secret) throws IOException {
        String form = "grant_type=client_credentials&client_id=" + client + "&client_secret="
                + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return post(json, Suite.IDENTITY, "/v1/oauth/token", "application/x-www-form-urlencoded", form, 200)
                .path("access_token").asText();
    }

    private static JsonNode post(ObjectMapper json, int port, String path, String contentType, String body, int expected)
            throws IOException {
        RawHttp.Request request = new RawHttp.Request("POST", path,
                List.of(new RawHttp.Header("Content-Type", contentType)), body.getBytes(StandardCharsets.UTF_8), true);
        RawHttp.Response answer = OpenApiFuzzTest.sendPatiently(port, request);
        if (answer == null || answer.status() != expected) {
            throw new IOException("fixture: POST " + path + " answered "
                    + (answer == null ? "nothing" : answer.status() + " " + answer.text()));
        }
        return json.readTree(answer.body());
    }
}
