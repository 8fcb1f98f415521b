package dev.latchkey.common.client;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** This service's own OAuth client at identity-service, and how long calls to other services may take. */
@ConfigMapping(prefix = "latchkey.service-client")
public interface ServiceClientConfig {

    /** The client id (defaults to the service's name). */
    String id();

    /**
     * The client secret. Each service reads it from its own variable (e.g. LATCHKEY_TENANT_SERVICE_CLIENT_SECRET);
     * production refuses to start without it. identity-service signs its own tokens and sets a placeholder.
     */
    String secret();

    /** How long a call to another Latchkey service may take before the caller answers 503. */
    @WithDefault("PT5S")
    Duration callTimeout();
}
