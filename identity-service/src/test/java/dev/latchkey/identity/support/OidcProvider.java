package dev.latchkey.identity.support;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider on a free loopback port: NAV's mock-oauth2-server, with discovery, JWKS,
 * authorization and token endpoints per issuer id. identity is configured with it twice as upstream sign-in
 * providers (Google-like and generic) and three times as external issuers for token exchange.
 */
public class OidcProvider implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "latchkey-upstream-test";
    /** The audiences the token-exchange issuers accept. */
    public static final String GOOGLE_AUDIENCE = "kisenon-web.apps.googleusercontent.com";
    public static final String FIREBASE_PROJECT = "signstack-test";

    static MockOAuth2Server server;

    @Override
    public Map<String, String> start() {
        server = new MockOAuth2Server();
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return Map.ofEntries(
                Map.entry("latchkey.oauth.providers.google.type", "google"),
                Map.entry("latchkey.oauth.providers.google.issuer", issuer("google")),
                Map.entry("latchkey.oauth.providers.google.client-id", CLIENT_ID),
                Map.entry("latchkey.oauth.providers.google.client-secret", "upstream-secret"),
                Map.entry("latchkey.oauth.providers.corp.type", "oidc"),
                Map.entry("latchkey.oauth.providers.corp.name", "Corp SSO"),
                Map.entry("latchkey.oauth.providers.corp.issuer", issuer("corp")),
                Map.entry("latchkey.oauth.providers.corp.client-id", CLIENT_ID),
                Map.entry("latchkey.oauth.providers.corp.client-secret", "upstream-secret"),
                Map.entry("latchkey.oauth.external-issuers.google.issuer", issuer("google")),
                Map.entry("latchkey.oauth.external-issuers.google.audiences", GOOGLE_AUDIENCE),
                Map.entry("latchkey.oauth.external-issuers.firebase.issuer", issuer("firebase")),
                Map.entry("latchkey.oauth.external-issuers.firebase.audiences", FIREBASE_PROJECT),
                Map.entry("latchkey.oauth.external-issuers.firebase.jwks-uri", server.jwksUrl("firebase").toString()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    public static String issuer(String id) {
        return server.issuerUrl(id).toString().replaceAll("/+$", "");
    }

    /** The next sign-in at {@code issuerId} is this person (claims of the ID token the provider will issue). */
    public static void nextSignIn(String issuerId, String subject, String email, boolean emailVerified, String name) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(CLIENT_ID),
                Map.of("email", email, "email_verified", emailVerified, "name", name), 3600));
    }

    /** An ID token signed by the provider's key for {@code issuerId}. */
    public static String idToken(String issuerId, String subject, String audience, Map<String, Object> claims,
            long expiresInSeconds) {
        return server.issueToken(issuerId, subject, audience, claims, expiresInSeconds).serialize();
    }
}
