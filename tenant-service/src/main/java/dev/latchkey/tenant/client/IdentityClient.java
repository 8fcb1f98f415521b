package dev.latchkey.tenant.client;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.tenant.client.IdentityApi.EndSessions;
import dev.latchkey.tenant.config.TenantConfig;
import io.smallrye.mutiny.Uni;

/** identity-service's internal API: ending sessions whose active organization is one we changed. */
@ApplicationScoped
public class IdentityClient {

    private final IdentityApi api;
    private final ServiceTokenProvider tokens;
    private final TenantConfig config;

    public IdentityClient(@RestClient IdentityApi api, ServiceTokenProvider tokens, TenantConfig config) {
        this.api = api;
        this.tokens = tokens;
        this.config = config;
    }

    /** Ends every session active in the organization, or only {@code userId}'s when given; the number ended. */
    public Uni<Integer> endSessions(UUID organizationId, UUID userId) {
        return ServiceCalls.call(tokens, config.callTimeout(), "ending sessions at identity-service",
                auth -> api.endSessions(auth, new EndSessions(organizationId.toString(),
                        userId == null ? null : userId.toString())))
                .map(IdentityApi.EndedSessions::ended);
    }
}
