package dev.latchkey.tenant.client;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.client.ServiceCaller;
import dev.latchkey.tenant.client.IdentityApi.EndSessions;
import dev.latchkey.tenant.config.TenantConfig;
import io.smallrye.mutiny.Uni;

/** identity-service's internal API: ending sessions whose active organization is one we changed. */
@ApplicationScoped
public class IdentityClient {

    private final IdentityApi api;
    private final ServiceCaller calls;
    private final TenantConfig config;

    public IdentityClient(@RestClient IdentityApi api, ServiceCaller calls, TenantConfig config) {
        this.api = api;
        this.calls = calls;
        this.config = config;
    }

    /** Ends every session active in the organization, or only {@code userId}'s when given; the number ended. */
    public Uni<Integer> endSessions(UUID organizationId, UUID userId) {
        String what = "ending sessions at identity-service";
        return calls.call(config.callTimeout(), what + " failed; it will be retried", what, auth -> api.endSessions(auth, new EndSessions(organizationId.toString(),
                        userId == null ? null : userId.toString())))
                .map(IdentityApi.EndedSessions::ended);
    }
}
