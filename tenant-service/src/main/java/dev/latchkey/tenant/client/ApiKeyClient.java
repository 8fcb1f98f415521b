package dev.latchkey.tenant.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.tenant.client.ApiKeyApi.CreateKey;
import dev.latchkey.tenant.config.TenantConfig;
import io.smallrye.mutiny.Uni;

/** apikey-service's internal API: the first key of a new organization, and revoking all keys of a deleted one. */
@ApplicationScoped
public class ApiKeyClient {

    private final ApiKeyApi api;
    private final ServiceTokenProvider tokens;
    private final TenantConfig config;

    public ApiKeyClient(@RestClient ApiKeyApi api, ServiceTokenProvider tokens, TenantConfig config) {
        this.api = api;
        this.tokens = tokens;
        this.config = config;
    }

    public Uni<CreatedApiKey> create(UUID tenantId, String name, List<String> scopes) {
        return ServiceCalls.call(tokens, config.callTimeout(), "creating an API key at apikey-service",
                auth -> api.create(auth, new CreateKey(tenantId, name, scopes)))
                .onFailure(ApiException.class).transform(e -> ApiException.unavailable(
                        "apikey-service cannot create keys right now", e.getMessage(), e));
    }

    /** Revokes every API key of the organization; the number revoked. */
    public Uni<Integer> revokeAll(UUID organizationId) {
        return ServiceCalls.call(tokens, config.callTimeout(), "revoking the API keys of " + organizationId,
                auth -> api.revokeAll(auth, organizationId, Map.of())).map(ApiKeyApi.RevokedKeys::revoked);
    }
}
