package dev.latchkey.common.client;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import dev.latchkey.common.auth.ApiKeyLookup;
import dev.latchkey.common.auth.KeyVerification;
import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.client.ApiKeyInternalApi.VerifyRequest;
import dev.latchkey.common.error.ApiException;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/** Asks apikey-service (internal verify, key status) with this service's service token. */
@Singleton
@DefaultBean
public class RemoteApiKeyLookup implements ApiKeyLookup {

    private final ApiKeyInternalApi api;
    private final ServiceTokenProvider tokens;
    private final ServiceClientConfig config;

    public RemoteApiKeyLookup(@RestClient ApiKeyInternalApi api, ServiceTokenProvider tokens, ServiceClientConfig config) {
        this.api = api;
        this.tokens = tokens;
        this.config = config;
    }

    @Override
    public Uni<KeyVerification> lookup(String key) {
        return call(tokens.token()
                .flatMap(token -> Outbound.detached(api.verify("Bearer " + token, new VerifyRequest(key, false)))));
    }

    @Override
    public Uni<Long> denyUntil(String keyId) {
        return call(tokens.token().flatMap(token -> Outbound.detached(api.status("Bearer " + token, keyId))))
                .map(status -> status.active() ? 0L : Math.max(1, status.denyUntil()));
    }

    private <T> Uni<T> call(Uni<T> call) {
        return call.ifNoItem().after(config.callTimeout()).fail()
                .onFailure().transform(e -> {
                    if (e instanceof ApiException) {
                        return e;
                    }
                    if (e instanceof ClientWebApplicationException web && web.getResponse().getStatus() == 401) {
                        tokens.invalidate();
                    }
                    return ApiException.unavailable("API keys cannot be verified right now",
                            "apikey-service verify failed: " + e, e);
                });
    }
}
