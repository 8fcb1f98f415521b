package dev.latchkey.tenant.rest;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.FakeLatchkey.Request;
import dev.latchkey.testing.FakeLatchkey.Response;
import dev.latchkey.testing.TestTokens;

/** identity-service and apikey-service as tenant-service sees them, played by FakeLatchkey. */
final class FakeServices {

    static final String CLIENT_SECRET = "dev-tenant-service-secret";

    private FakeServices() {
    }

    /**
     * identity grants client credentials to tenant-service and ends sessions; apikey-service creates keys, revokes
     * an organization's keys and verifies the keys {@link #apiKey} registers. Each insists on a service token.
     */
    static void healthy() {
        FakeLatchkey.reset();
        FakeLatchkey.on("POST", "/v1/oauth/token", request -> {
            if (!request.body().contains("client_id=tenant-service")
                    || !request.body().contains("client_secret=" + CLIENT_SECRET)) {
                return new Response(401, "{\"code\":\"invalid_client\"}");
            }
            String token = TestTokens.service("tenant-service", FakeLatchkey.ALL_INTERNAL_SCOPES).sign();
            return new Response(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        FakeLatchkey.on("POST", "/internal/v1/keys", request -> {
            if (!serviceToken(request)) {
                return new Response(401, "{\"code\":\"auth_required\"}");
            }
            String id = UUID.randomUUID().toString();
            return new Response(201, "{\"id\":\"" + id + "\",\"key\":\"lk_" + "A".repeat(43)
                    + "\",\"start\":\"lk_AAAA\",\"name\":\"default\",\"scopes\":[\"organizations:read\"]}");
        });
        FakeLatchkey.on("POST", "/internal/v1/organizations/*", request -> serviceToken(request)
                && request.path().endsWith("/keys/revoke") ? new Response(200, "{\"revoked\":1}")
                        : new Response(401, "{\"code\":\"auth_required\"}"));
        FakeLatchkey.on("POST", "/internal/v1/sessions/end", request -> serviceToken(request)
                ? new Response(200, "{\"ended\":1}") : new Response(401, "{\"code\":\"auth_required\"}"));
    }

    static void apiKeyServiceFailing() {
        healthy();
        FakeLatchkey.on("POST", "/internal/v1/keys", request -> new Response(500, "{}"));
    }

    /** Makes apikey-service's verify answer {@code key} as a valid key of {@code organizationId}. */
    static void apiKey(String key, String keyId, String organizationId, String capability) {
        FakeLatchkey.on("POST", "/internal/v1/keys/verify", request -> request.body().contains(key)
                ? new Response(200, "{\"valid\":true,\"status\":\"VALID\",\"key_id\":\"" + keyId
                        + "\",\"organization_id\":\"" + organizationId + "\",\"name\":\"k\",\"capability\":\"" + capability
                        + "\",\"resource_scope\":{\"type\":\"organization\"},\"scopes\":[]}")
                : new Response(200, "{\"valid\":false,\"status\":\"NOT_FOUND\"}"));
    }

    static boolean serviceToken(Request request) {
        String auth = request.header("Authorization");
        return auth != null && auth.startsWith("Bearer ey");
    }

    /** Waits until FakeLatchkey has received a request matching {@code what}; fails after {@code timeout}. */
    static Request await(Predicate<Request> what, Duration timeout) {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> FakeLatchkey.received().stream().filter(what).findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no such request within " + timeout + "; received: " + FakeLatchkey.received());
        }
    }
}
