package dev.latchkey.identity.rest;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.FakeLatchkey.Response;

/** apikey-service's verify endpoint as identity sees it. */
final class FakeApiKeyService {

    static final String VALID_KEY = dev.latchkey.common.auth.ApiKeyFormat.assemble("lk", "V".repeat(36));
    static final String REVOKED_KEY = dev.latchkey.common.auth.ApiKeyFormat.assemble("lk", "R".repeat(36));
    static final String EXPIRED_KEY = dev.latchkey.common.auth.ApiKeyFormat.assemble("lk", "E".repeat(36));
    /** A well-formed key nobody has presented before: it cannot be in any cache. */
    static String neverSeenKey() {
        return dev.latchkey.common.auth.ApiKeyFormat.assemble("lk", dev.latchkey.common.crypto.Secrets.randomBase62(36));
    }

    /** A well-formed key the fake apikey-service calls valid, never presented before. */
    static String neverSeenValidKey() {
        return dev.latchkey.common.auth.ApiKeyFormat.assemble("lk", "V" + dev.latchkey.common.crypto.Secrets.randomBase62(35));
    }

    /** A valid key never presented before that expires {@code seconds} (0–999) after apikey-service is asked. */
    static String expiringIn(int seconds) {
        return dev.latchkey.common.auth.ApiKeyFormat.assemble("lk",
                "S" + String.format("%03d", seconds) + dev.latchkey.common.crypto.Secrets.randomBase62(32));
    }

    static final String KEY_ID = "6f1c7f0e-0000-4000-8000-000000000001";
    static final String TENANT_ID = "6f1c7f0e-0000-4000-8000-0000000000aa";

    private FakeApiKeyService() {
    }

    static void answering() {
        FakeLatchkey.reset();
        FakeLatchkey.on("POST", "/internal/v1/keys/verify", request -> {
            if (request.header("Authorization") == null) {
                return new Response(401, "{\"code\":\"auth_required\"}");
            }
            String body = request.body();
            if (body.contains(VALID_KEY) || body.contains("\"key\":\"lk_V")) {
                return new Response(200, "{\"valid\":true,\"status\":\"VALID\",\"key_id\":\"" + KEY_ID
                        + "\",\"organization_id\":\"" + TENANT_ID + "\",\"capability\":\"read\","
                        + "\"resource_scope\":{\"type\":\"project\",\"ids\":[\"p1\"]},"
                        + "\"scopes\":[\"organizations:read\",\"api_keys:read\"]}");
            }
            java.util.regex.Matcher soon = java.util.regex.Pattern.compile("\"key\":\"lk_S(\\d{3})").matcher(body);
            if (soon.find()) {
                return new Response(200, "{\"valid\":true,\"status\":\"VALID\",\"key_id\":\"" + KEY_ID
                        + "\",\"organization_id\":\"" + TENANT_ID + "\",\"capability\":\"read\","
                        + "\"scopes\":[\"organizations:read\"],\"expires_at\":\""
                        + java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(Long.parseLong(soon.group(1)))
                        + "\"}");
            }
            if (body.contains(REVOKED_KEY)) {
                return new Response(200, "{\"valid\":false,\"status\":\"REVOKED\"}");
            }
            if (body.contains(EXPIRED_KEY)) {
                return new Response(200, "{\"valid\":false,\"status\":\"EXPIRED\"}");
            }
            return new Response(200, "{\"valid\":false,\"status\":\"NOT_FOUND\"}");
        });
    }

    static void down() {
        FakeLatchkey.reset();
        FakeLatchkey.on("POST", "/internal/v1/keys/verify", request -> new Response(500, "{}"));
    }
}
