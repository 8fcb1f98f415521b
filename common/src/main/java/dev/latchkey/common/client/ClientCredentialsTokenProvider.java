package dev.latchkey.common.client;

import java.time.Instant;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.error.ApiException;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/**
 * This service's service token, obtained from identity-service by the client-credentials grant and reused
 * until a minute before it expires. Concurrent first requests share one grant.
 */
@Singleton
@DefaultBean
public class ClientCredentialsTokenProvider implements ServiceTokenProvider {

    private static final long RENEW_BEFORE_SECONDS = 60;

    private final IdentityInternalApi identity;
    private final ServiceClientConfig config;
    private volatile Cached cached;
    private volatile Uni<String> pending;

    public ClientCredentialsTokenProvider(@RestClient IdentityInternalApi identity, ServiceClientConfig config) {
        this.identity = identity;
        this.config = config;
    }

    @Override
    public Uni<String> token() {
        Cached current = cached;
        if (current != null && Instant.now().isBefore(current.renewAt())) {
            return Uni.createFrom().item(current.token());
        }
        Uni<String> inFlight = pending;
        if (inFlight != null) {
            return inFlight;
        }
        Uni<String> grant = Outbound.detached(
                identity.clientCredentials("client_credentials", config.id(), config.secret()))
                .ifNoItem().after(config.callTimeout()).fail()
                .map(response -> {
                    cached = new Cached(response.accessToken(),
                            Instant.now().plusSeconds(Math.max(0, response.expiresIn() - RENEW_BEFORE_SECONDS)));
                    return response.accessToken();
                })
                .onFailure().transform(e -> ApiException.unavailable("identity-service cannot be reached right now",
                        "client-credentials grant for " + config.id() + " failed: " + e, e))
                .onTermination().invoke(() -> pending = null)
                .memoize().indefinitely();
        pending = grant;
        return grant;
    }

    @Override
    public void invalidate() {
        cached = null;
    }

    private record Cached(String token, Instant renewAt) {
        @Override
        public String toString() {
            return "Cached[renewAt=" + renewAt + "]";
        }
    }
}
