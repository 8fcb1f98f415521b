package dev.latchkey.tenant.client;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import dev.latchkey.common.client.Outbound;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.tenant.client.ApiKeyApi.CreateKey;
import dev.latchkey.tenant.config.TenantConfig;
import io.smallrye.mutiny.Uni;

/** Creates API keys through apikey-service's internal API. */
@ApplicationScoped
public class ApiKeyClient {

    private final ApiKeyApi api;
    private final ServiceTokenClient tokens;
    private final TenantConfig config;

    public ApiKeyClient(@RestClient ApiKeyApi api, ServiceTokenClient tokens, TenantConfig config) {
        this.api = api;
        this.tokens = tokens;
        this.config = config;
    }

    public Uni<CreatedApiKey> create(UUID tenantId, String name, List<String> scopes) {
        return tokens.token()
                .flatMap(token -> Outbound.detached(api.create("Bearer " + token, new CreateKey(tenantId, name, scopes))))
                .ifNoItem().after(config.callTimeout()).fail()
                .onFailure().transform(e -> {
                    if (e instanceof ApiException) {
                        return e;
                    }
                    if (e instanceof ClientWebApplicationException web && web.getResponse().getStatus() == 401) {
                        tokens.invalidate();
                    }
                    return ApiException.unavailable("apikey-service cannot create keys right now",
                            "create key failed: " + e, e);
                });
    }
}
