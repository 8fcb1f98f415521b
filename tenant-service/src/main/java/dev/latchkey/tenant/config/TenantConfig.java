package dev.latchkey.tenant.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** How long calls to other Latchkey services may take. */
    @WithDefault("PT5S")
    Duration callTimeout();

    /**
     * Proxies whose {@code X-Forwarded-For} the audit log believes: addresses or CIDR ranges. None by default,
     * so the socket's peer address is recorded. Env: LATCHKEY_TRUSTED_PROXIES (comma-separated).
     */
    Optional<List<String>> trustedProxies();

    Invitations invitations();

    Outbox outbox();

    interface Invitations {

        /** How long an invitation can be accepted. Env: LATCHKEY_INVITATION_TTL (ISO-8601, e.g. P7D). */
        @WithDefault("P7D")
        Duration ttl();

        /**
         * The link in the invitation mail; {@code {token}} is replaced by the token. Point it at the page of your
         * application that signs the person in and calls {@code POST /v1/invitations/{token}/accept}.
         * Env: LATCHKEY_INVITATION_LINK (default: LATCHKEY_PUBLIC_URL + /invitations/{token}).
         */
        String link();
    }

    interface Outbox {

        /** How often every instance looks for due rows (changes also deliver at once after they commit). */
        @WithDefault("1s")
        String poll();

        /** The first retry's delay; each further retry doubles it (with jitter), up to {@link #backoffMax()}. */
        @WithDefault("PT2S")
        Duration backoffBase();

        @WithDefault("PT10M")
        Duration backoffMax();

        /**
         * How long a claimed row is left to its instance before another may try it (an instance that died while
         * delivering). Longer than any delivery takes.
         */
        @WithDefault("PT2M")
        Duration lease();

        /** Rows claimed at a time. */
        @WithDefault("20")
        int batchSize();

        /** Delivered rows are deleted after this long. */
        @WithDefault("P7D")
        Duration keepDelivered();
    }
}
