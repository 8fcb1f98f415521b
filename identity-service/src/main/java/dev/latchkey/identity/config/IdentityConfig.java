package dev.latchkey.identity.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * How long after a token's {@code exp} the verifiers still accept it: the {@code mp.jwt.verify.clock.skew}
     * of every service (the same value everywhere). A token exchanged from an API key that expires ends this much
     * before the key, so that no verifier accepts it once the key has expired.
     */
    @WithDefault("${mp.jwt.verify.clock.skew:30}")
    Duration verifierClockSkew();

    /** Lifetime of service tokens that Latchkey services use between themselves. */
    @WithDefault("PT5M")
    Duration serviceTokenTtl();

    /**
     * Proxies whose {@code X-Forwarded-For} is believed (addresses or CIDR ranges; none by default, so the socket's
     * peer is the client). Set it to the edge in front of identity, or every client behind the edge shares one
     * address in the sign-in and user-code limits and in the sessions list. Env: LATCHKEY_TRUSTED_PROXIES.
     */
    java.util.Optional<List<String>> trustedProxies();

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

    /** The people-facing pages. */
    PageSettings pages();

    interface PageSettings {
        /**
         * The languages the pages speak, the first the default (for a browser that asks for none of them). Each
         * needs its translation, {@code messages/msg_<language>.properties}: English, German and French ship.
         * Env: LATCHKEY_PAGES_LANGUAGES.
         */
        @WithDefault("en,de,fr")
        List<String> languages();
    }

    interface ServiceClient {
        /** Compared in constant time; never logged. */
        String secret();

        List<String> scopes();

        /**
         * RFC 8707 resource servers (absolute URIs) this client may ask tokens for with the {@code resource}
         * parameter; none by default (its tokens are then for {@link #audience()} only).
         */
        Optional<List<String>> resources();
    }

    /** Where people reach Latchkey's pages and links in mail (verify email, reset password). */
    @WithDefault("${latchkey.identity.issuer}")
    String publicUrl();

    /** Password accounts. */
    Passwords passwords();

    /** Sessions with rotating refresh tokens. */
    Sessions sessions();

    /** Brute-force protection of sign-in. */
    LoginLimits loginLimits();

    /** Guessing protection of device user codes (RFC 8628 §5.1). */
    UserCodeLimits userCodeLimits();

    /** Access gating (an alpha allowlist, operator approval). */
    Gating gating();

    /** Mail: verification and reset links. */
    Mail mail();

    /** Signing-key rotation. */
    KeyRotation keyRotation();

    /** HTTP Basic authentication for operators (m9m's "basic auth"). */
    BasicAuth basicAuth();

    interface Passwords {
        /** Argon2id memory in KiB (OWASP minimum: 19456 = 19 MiB). */
        @WithDefault("19456")
        int argon2MemoryKib();

        /** Argon2id passes (OWASP minimum with 19 MiB: 2). */
        @WithDefault("2")
        int argon2Iterations();

        /** Argon2id lanes. */
        @WithDefault("1")
        int argon2Parallelism();

        /**
         * Threads that hash passwords (0: one less than the cores, at least one), so that a burst of sign-ins
         * never takes every core from the event loops serving everything else.
         */
        @WithDefault("0")
        int hashingThreads();

        /** Sign-ins waiting for a hashing thread before more are refused with 503. */
        @WithDefault("64")
        int hashingQueue();

        @WithDefault("12")
        int minLength();

        /** zxcvbn score (0-4) a new password must reach; 0 turns the estimate off. */
        @WithDefault("3")
        int minStrength();

        /** An extra deny list: a text file, one password per line (checked with zxcvbn's 30,000 common ones). */
        java.util.Optional<String> denyListFile();

        /** How long a password-reset link works. */
        @WithDefault("PT15M")
        Duration resetTokenTtl();

        /** How long an email-verification link works. */
        @WithDefault("PT24H")
        Duration verificationTokenTtl();
    }

    interface Sessions {
        /** Absolute lifetime of a session: after it, refresh answers 401 session_expired. */
        @WithDefault("PT12H")
        Duration lifetime();

        /**
         * How long after a refresh token was rotated presenting it again is taken as a client's double send
         * rather than a replay. 0 turns the tolerance off.
         */
        @WithDefault("PT5S")
        Duration reuseGrace();

        /**
         * How long an ended or expired session is kept (its device, address and end reason) before it is deleted.
         * Its refresh tokens go as soon as it can no longer refresh: rotated ones are kept only while a replay
         * could still end a live session.
         */
        @WithDefault("P30D")
        Duration retention();

        /** How often each instance deletes what {@link #retention()} allows; instances may run it concurrently. */
        @WithDefault("PT10M")
        Duration purgeInterval();
    }

    interface LoginLimits {
        /** Failed sign-ins per account (by normalised email, existing or not) within the window. */
        @WithDefault("10")
        int perAccount();

        /** Failed sign-ins per client address within the window. */
        @WithDefault("100")
        int perAddress();

        @WithDefault("PT15M")
        Duration window();

        /** Prefix of the Redis counters; every identity instance of one installation must use the same. */
        @WithDefault("latchkey:login:")
        String keyPrefix();
    }

    /** How many link mails (reset, verification) may be asked for. */
    MailLimits mailLimits();

    interface MailLimits {
        /** Link mails per recipient address within the window (whether it has an account or not). */
        @WithDefault("5")
        int perRecipient();

        /** Link mails asked for from one client address within the window. */
        @WithDefault("20")
        int perAddress();

        @WithDefault("PT1H")
        Duration window();
    }

    interface UserCodeLimits {
        /**
         * Wrong user codes per client address within the window, on {@code /v1/oauth/device}; past it even the right
         * code waits for the window to pass. Counted in Redis beside the sign-in limits (their key prefix).
         */
        @WithDefault("10")
        int perAddress();

        @WithDefault("PT15M")
        Duration window();
    }

    interface Gating {
        /** Only allowlisted addresses may sign up or sign in. Env: LATCHKEY_GATING_ENABLED. */
        @WithDefault("false")
        boolean enabled();

        /** Addresses and domains (ada@example.com, example.com). Env: LATCHKEY_GATING_ALLOWLIST. */
        java.util.Optional<List<String>> allowlist();

        /** New accounts start pending until an operator approves them. Env: LATCHKEY_GATING_REQUIRE_APPROVAL. */
        @WithDefault("false")
        boolean requireApproval();
    }

    interface Mail {
        /** The link in the verification mail; {token} is replaced. */
        @WithDefault("${latchkey.identity.public-url}/verify-email?token={token}")
        String verifyEmailLink();

        /** The link in the password-reset mail; {token} is replaced. */
        @WithDefault("${latchkey.identity.public-url}/reset-password?token={token}")
        String resetPasswordLink();

        /** How often the outbox is drained. */
        @WithDefault("2s")
        String pollInterval();

        /** Attempts before a mail is given up (its row stays, with the last error). */
        @WithDefault("12")
        int maxAttempts();
    }

    interface KeyRotation {
        /** How often a new signing key takes over (0 turns scheduled rotation off). Env: LATCHKEY_KEY_ROTATION_INTERVAL. */
        @WithDefault("P30D")
        Duration interval();

        /**
         * How long a new key is published before it signs: at least the JWKS refresh interval of every verifier
         * (Latchkey's own refetch at once on an unknown kid; third parties may cache for an hour).
         */
        @WithDefault("PT65M")
        Duration publishLead();

        /** How often each instance rereads the keys (another instance may have rotated). */
        @WithDefault("PT10S")
        Duration reloadInterval();
    }

    interface BasicAuth {
        /** Accept {@code Authorization: Basic operator:<secret>} on operator endpoints, over TLS or loopback only. */
        @WithDefault("false")
        boolean enabled();
    }

    /** identity's cache of who belongs to which organization (client.MembershipCache). */
    Memberships memberships();

    interface Memberships {
        /**
         * How long a user's memberships are reused without asking tenant-service. Changes reach the cache at once
         * through Redis; this bounds what a lost message could cost.
         */
        @WithDefault("30m")
        Duration cacheTtl();

        /** How many users' memberships each instance remembers. */
        @WithDefault("100000")
        int cacheSize();
    }
}
