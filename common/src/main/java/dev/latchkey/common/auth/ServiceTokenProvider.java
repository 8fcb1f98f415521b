package dev.latchkey.common.auth;

import io.smallrye.mutiny.Uni;

/**
 * This service's own service token for calling other Latchkey services' internal endpoints. By default it is
 * obtained from identity-service with the client-credentials grant
 * ({@code dev.latchkey.common.client.ClientCredentialsTokenProvider}); identity signs its own.
 */
public interface ServiceTokenProvider {

    Uni<String> token();

    /** Forgets a cached token, e.g. after another service refused it. */
    void invalidate();
}
