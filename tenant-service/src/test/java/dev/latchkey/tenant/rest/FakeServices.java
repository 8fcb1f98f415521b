package dev.latchkey.tenant.rest;

import java.util.UUID;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.FakeLatchkey.Response;
import dev.latchkey.testing.TestTokens;

/** identity-service and apikey-service as tenant-service sees them, played by FakeLatchkey. */
final class FakeServices {

    static final String CLIENT_SECRET = "dev-tenant-service-secret";

    private FakeServices() {
    }

    /** identity grants client credentials to tenant-service; apikey-service creates keys for a service token. */
    static void healthy() {
        FakeLatchkey.reset();
        FakeLatchkey.on("POST", "/v1/oauth/token", request -> {
            if (!request.body().contains("client_id=tenant-service")
                    || !request.body().contains("client_secret=" + CLIENT_SECRET)) {
                return new Response(401, "{\"code\":\"invalid_client\"}");
            }
            String token = TestTokens.service("tenant-service", "internal:apikeys.create").sign();
            return new Response(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        FakeLatchkey.on("POST", "/internal/v1/keys", request -> {
            String auth = request.header("Authorization");
            if (auth == null || !auth.startsWith("Bearer ey")) {
                return new Response(401, "{\"code\":\"auth_required\"}");
            }
            String id = UUID.randomUUID().toString();
            return new Response(201, "{\"id\":\"" + id + "\",\"key\":\"lk_" + "A".repeat(43)
                    + "\",\"start\":\"lk_AAAA\",\"name\":\"default\",\"scopes\":[\"organizations:read\"]}");
        });
    }

    static void apiKeyServiceFailing() {
        healthy();
        FakeLatchkey.on("POST", "/internal/v1/keys", request -> new Response(500, "{}"));
    }
}
