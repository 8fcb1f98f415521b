package dev.latchkey.common.client;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.auth.ApiKeyLookup;
import dev.latchkey.common.auth.KeyVerification;
import dev.latchkey.common.client.ApiKeyInternalApi.VerifyRequest;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/** Asks apikey-service (internal verify, key status, denied keys) with this service's service token. */
@Singleton
@DefaultBean
public class RemoteApiKeyLookup implements ApiKeyLookup {

    private static final String UNAVAILABLE = "API keys cannot be verified right now";
    private static final String WHAT = "apikey-service verify";

    private final ApiKeyInternalApi api;
    private final ServiceCaller calls;

    public RemoteApiKeyLookup(@RestClient ApiKeyInternalApi api, ServiceCaller calls) {
        this.api = api;
        this.calls = calls;
    }

    @Override
    public Uni<KeyVerification> lookup(String key) {
        return calls.call(UNAVAILABLE, WHAT, auth -> api.verify(auth, new VerifyRequest(key, false)));
    }

    @Override
    public Uni<Long> denyUntil(String keyId) {
        return calls.call(UNAVAILABLE, WHAT, auth -> api.status(auth, keyId))
                .map(status -> status.active() ? 0L : Math.max(1, status.denyUntil()));
    }

    @Override
    public Uni<Map<String, Long>> deniedSince(long epochSecond) {
        return calls.call(UNAVAILABLE, WHAT, auth -> api.denied(auth, epochSecond)).map(denied -> {
            Map<String, Long> out = new HashMap<>();
            if (denied.keys() != null) {
                denied.keys().forEach(key -> out.put(key.id(), key.denyUntil()));
            }
            return out;
        });
    }
}
