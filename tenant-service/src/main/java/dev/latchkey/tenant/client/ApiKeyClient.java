package dev.latchkey.tenant.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.client.ServiceCaller;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.tenant.client.ApiKeyApi.CreateKey;
import dev.latchkey.tenant.config.TenantConfig;
import io.smallrye.mutiny.Uni;

/** apikey-service's internal API: the first key of a new organization, and revoking all keys of a deleted one. */
@ApplicationScoped
public class ApiKeyClient {

    private final ApiKeyApi api;
    private final ServiceCaller calls;
    private final TenantConfig config;

    public ApiKeyClient(@RestClient ApiKeyApi api, ServiceCaller calls, TenantConfig config) {
        this.api = api;
        this.calls = calls;
        this.config = config;
    }

    public Uni<CreatedApiKey> create(UUID tenantId, String name, List<String> scopes) {
        String what = "creating an API key at apikey-service";
        return calls.call(config.callTimeout(), what + " failed; it will be retried", what,
                auth -> api.create(auth, new CreateKey(tenantId, name, scopes)))
                .onFailure(ApiException.class).transform(e -> ApiException.unavailable(
                        "apikey-service cannot create keys right now", e.getMessage(), e));
    }

    /** Revokes every API key of the organization; the number revoked. */
    public Uni<Integer> revokeAll(UUID organizationId) {
        String what = "revoking the API keys of " + organizationId;
        return calls.call(config.callTimeout(), what + " failed; it will be retried", what,
                auth -> api.revokeAll(auth, organizationId, Map.of())).map(ApiKeyApi.RevokedKeys::revoked);
    }
}
