package dev.latchkey.identity.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.client.Outbound;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.ApiKeyApi.VerifyRequest;
import dev.latchkey.identity.service.ServiceTokens;
import io.smallrye.mutiny.Uni;

/** Verifies API keys through apikey-service, authenticated with identity's own service token. */
@ApplicationScoped
public class ApiKeyClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ApiKeyApi api;
    private final ServiceTokens serviceTokens;

    public ApiKeyClient(@RestClient ApiKeyApi api, ServiceTokens serviceTokens) {
        this.api = api;
        this.serviceTokens = serviceTokens;
    }

    public Uni<ApiKeyVerification> verify(String key) {
        return Outbound.detached(api.verify("Bearer " + serviceTokens.ownToken(), new VerifyRequest(key)))
                .ifNoItem().after(TIMEOUT).fail()
                .onFailure().transform(e -> ApiException.unavailable("API keys cannot be verified right now",
                        "apikey-service verify failed: " + e, e));
    }
}
