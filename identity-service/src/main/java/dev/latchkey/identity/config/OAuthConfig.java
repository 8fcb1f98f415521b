package dev.latchkey.identity.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The OAuth 2.1 / OpenID Connect provider: lifetimes, upstream sign-in providers (the buttons on the sign-in page)
 * and the external issuers whose ID tokens the token-exchange grant accepts. Providers and issuers are
 * configuration only: none configured, no button and no exchange.
 */
@ConfigMapping(prefix = "latchkey.oauth")
public interface OAuthConfig {

    /** How long an authorization code may wait for its exchange (at most 60 s). */
    @WithDefault("PT60S")
    Duration codeTtl();

    /** How long a person has to finish the sign-in pages of one authorization request. */
    @WithDefault("PT15M")
    Duration requestTtl();

    /** Lifetime of ID tokens. */
    @WithDefault("PT15M")
    Duration idTokenTtl();

    /**
     * Upstream sign-in providers by id (the id is in the callback URL:
     * {@code <public-url>/v1/oauth/upstream/<id>/callback}, to register at the provider).
     */
    Map<String, Provider> providers();

    /** Issuers whose ID tokens may be exchanged (RFC 8693), by name. */
    Map<String, ExternalIssuer> externalIssuers();

    interface Provider {
        /**
         * {@code oidc} (any OpenID Connect provider, by discovery from {@code issuer}), {@code google} (OIDC with
         * Google's issuer by default) or {@code github} (OAuth 2.0 plus GitHub's user API).
         */
        @WithDefault("oidc")
        String type();

        /** The button says "Continue with <name>"; the id capitalised when absent. */
        Optional<String> name();

        /** OIDC issuer (discovery at {@code <issuer>/.well-known/openid-configuration}). Google: accounts.google.com. */
        Optional<String> issuer();

        String clientId();

        /** Never logged. */
        String clientSecret();

        /** Requested scopes; {@code openid email profile} for OIDC, {@code read:user user:email} for GitHub. */
        Optional<List<String>> scopes();

        /** GitHub only: where its OAuth endpoints and API are (GitHub Enterprise, tests). */
        @WithDefault("https://github.com")
        String githubUrl();

        @WithDefault("https://api.github.com")
        String githubApiUrl();
    }

    interface ExternalIssuer {
        /** The exact {@code iss} of the ID tokens (Google: https://accounts.google.com; Firebase:
         * https://securetoken.google.com/<project-id>). */
        String issuer();

        /** Accepted {@code aud} values: your client ids (Google) or project id (Firebase). At least one. */
        List<String> audiences();

        /** Where the issuer's keys are; discovered from the issuer when absent. Firebase:
         * https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com */
        Optional<String> jwksUri();

        /** Refuse ID tokens without {@code email_verified=true}. */
        @WithDefault("true")
        boolean requireVerifiedEmail();

        /** Clock skew tolerated on {@code exp}/{@code iat}. */
        @WithDefault("PT30S")
        Duration clockSkew();
    }
}
