package dev.latchkey.tenant.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "latchkey.tenant")
public interface TenantConfig {

    /**
     * Whether anyone may create an organization with {@code POST /v1/tenants}. When false, the caller needs an
     * operator token (client credentials of the {@code operator} client). Env: LATCHKEY_TENANT_SELF_SERVICE.
     */
    @WithDefault("true")
    boolean selfService();

    /** This service's OAuth client at identity-service. */
    Client client();

    interface Client {
        @WithDefault("tenant-service")
        String id();

        /** Env: LATCHKEY_TENANT_SERVICE_CLIENT_SECRET. Required in production. */
        String secret();
    }

    /** How long calls to other Latchkey services may take. */
    @WithDefault("PT5S")
    Duration callTimeout();
}
