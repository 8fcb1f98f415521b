package dev.latchkey.tenant.client;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.client.Outbound;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.tenant.config.TenantConfig;
import io.smallrye.mutiny.Uni;

/**
 * tenant-service's service token, obtained from identity-service by the client-credentials grant and reused
 * until a minute before it expires.
 */
@ApplicationScoped
public class ServiceTokenClient {

    private static final long RENEW_BEFORE_SECONDS = 60;

    private final IdentityApi identity;
    private final TenantConfig config;
    private volatile Cached cached;

    public ServiceTokenClient(@RestClient IdentityApi identity, TenantConfig config) {
        this.identity = identity;
        this.config = config;
    }

    public Uni<String> token() {
        Cached current = cached;
        if (current != null && Instant.now().isBefore(current.renewAt())) {
            return Uni.createFrom().item(current.token());
        }
        return Outbound.detached(
                identity.clientCredentials("client_credentials", config.client().id(), config.client().secret()))
                .ifNoItem().after(config.callTimeout()).fail()
                .map(response -> {
                    cached = new Cached(response.accessToken(),
                            Instant.now().plusSeconds(Math.max(0, response.expiresIn() - RENEW_BEFORE_SECONDS)));
                    return response.accessToken();
                })
                .onFailure().transform(e -> ApiException.unavailable("identity-service cannot be reached right now",
                        "client-credentials grant failed: " + e, e));
    }

    /** Forgets the token, e.g. after another service refused it. */
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
