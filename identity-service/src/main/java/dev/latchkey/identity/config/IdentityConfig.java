package dev.latchkey.identity.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "latchkey.identity")
public interface IdentityConfig {

    /** {@code iss} of every token, and the base of the discovery document's URLs. Env: LATCHKEY_IDENTITY_ISSUER. */
    String issuer();

    /** {@code aud} of every token; resource servers require it. */
    @WithDefault("latchkey")
    String audience();

    /** Lifetime of access tokens handed to tenants' callers. */
    @WithDefault("PT15M")
    Duration accessTokenTtl();

    /** Lifetime of service tokens that Latchkey services use between themselves. */
    @WithDefault("PT5M")
    Duration serviceTokenTtl();

    /**
     * Key-encryption key: base64 of 32 random bytes ({@code openssl rand -base64 32}). Encrypts signing keys at
     * rest; losing it makes the stored keys unusable. Env: LATCHKEY_IDENTITY_KEK. Required in production.
     */
    String kek();

    /**
     * OAuth clients allowed the client-credentials grant: other Latchkey services and operators. The id is the
     * map key; each has a secret (from the environment) and the scopes it may receive.
     */
    Map<String, ServiceClient> clients();

    interface ServiceClient {
        /** Compared in constant time; never logged. */
        String secret();

        List<String> scopes();
    }
}
