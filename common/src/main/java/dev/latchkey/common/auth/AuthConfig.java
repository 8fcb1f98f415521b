package dev.latchkey.common.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service authenticates bearer tokens (verification itself is configured by {@code mp.jwt.*}). */
@ConfigMapping(prefix = "latchkey.auth")
public interface AuthConfig {

    /**
     * How many verified tokens this instance remembers. A remembered token is not verified again until it
     * expires; each entry holds the token's claims (about 2 KiB).
     */
    @WithDefault("20000")
    long verifiedTokenCacheSize();
}
