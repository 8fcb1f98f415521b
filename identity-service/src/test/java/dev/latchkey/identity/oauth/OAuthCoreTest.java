package dev.latchkey.identity.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sharp parts of the authorization-code flow, without Quarkus: PKCE, redirect URIs, codes, CSRF, scopes. */
class OAuthCoreTest {

    @Nested
    class PkceS256 {

        @Test
        void rfc7636AppendixBVector() {
            String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
            assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.challengeOf(verifier));
            assertTrue(Pkce.verifies(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        }

        @Test
        void anotherVerifierOrThePlainMethodFails() {
            String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
            assertFalse(Pkce.verifies("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl", Pkce.challengeOf(verifier)));
            // "plain": the challenge is the verifier itself; it is not an S256 answer.
            assertFalse(Pkce.verifies(verifier, verifier));
        }

        @Test
        void verifierLengthAndAlphabetAreEnforced() {
            assertFalse(Pkce.validVerifier("a".repeat(42)));
            assertTrue(Pkce.validVerifier("a".repeat(43)));
            assertTrue(Pkce.validVerifier("a".repeat(128)));
            assertFalse(Pkce.validVerifier("a".repeat(129)));
            assertFalse(Pkce.validVerifier("a".repeat(42) + "/"));
            assertFalse(Pkce.validChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c="));
        }
    }

    @Nested
    class Redirects {

        final List<String> cli = List.of("http://127.0.0.1/callback", "http://[::1]/callback");
        final List<String> web = List.of("https://app.example.com/oauth/callback");

        @ParameterizedTest
        @ValueSource(strings = { "http://127.0.0.1/callback", "http://127.0.0.1:53123/callback",
                "http://[::1]:8080/callback" })
        void nativeClientsUseAnyLoopbackPort(String uri) {
            assertTrue(RedirectUris.allowed(cli, uri, true));
        }

        @ParameterizedTest
        @ValueSource(strings = { "http://localhost:53123/callback", "http://127.0.0.1.evil.example/callback",
                "http://127.0.0.1.evil.example:53123/callback", "http://evil@127.0.0.1:53123/callback",
                "http://127.0.0.1:53123/callback#x", "http://127.0.0.1:53123/other", "https://127.0.0.1:53123/callback",
                "http://127.0.0.2:53123/callback", "http://127.0.0.1:53123/callback?x=1", "http://0x7f000001/callback",
                "http://127.0.0.1:53123@evil.example/callback", "http://127.0.0.1:53123\\@evil.example/callback", "" })
        void nativeClientsGetNothingElse(String uri) {
            assertFalse(RedirectUris.allowed(cli, uri, true), uri);
        }

        @Test
        void loopbackPortRuleIsForNativeClientsOnly() {
            assertFalse(RedirectUris.allowed(cli, "http://127.0.0.1:53123/callback", false));
            assertTrue(RedirectUris.allowed(cli, "http://127.0.0.1/callback", false));
        }

        @ParameterizedTest
        @ValueSource(strings = { "https://evil.example/oauth/callback", "https://app.example.com/oauth/callback/",
                "https://app.example.com/oauth/callback?next=https://evil.example", "https://APP.example.com/oauth/callback",
                "https://user@app.example.com/oauth/callback", "https://app.example.com/oauth/callback#frag",
                "https://app.example.com.evil.example/oauth/callback", "http://app.example.com/oauth/callback" })
        void webClientsMatchExactly(String uri) {
            assertFalse(RedirectUris.allowed(web, uri, false), uri);
            assertTrue(RedirectUris.allowed(web, "https://app.example.com/oauth/callback", false));
        }

        @Test
        void registrationRefusesUserInfoFragmentsAndPlainHttp() {
            assertNull(RedirectUris.registrationRefusal("https://app.example.com/cb"));
            assertNull(RedirectUris.registrationRefusal("http://127.0.0.1/callback"));
            assertNull(RedirectUris.registrationRefusal("com.example.app:/callback"));
            assertNotNull(RedirectUris.registrationRefusal("https://u:p@app.example.com/cb"));
            assertNotNull(RedirectUris.registrationRefusal("https://app.example.com/cb#x"));
            assertNotNull(RedirectUris.registrationRefusal("http://app.example.com/cb"));
            assertNotNull(RedirectUris.registrationRefusal("/relative"));
            assertNotNull(RedirectUris.registrationRefusal("javascript:alert(1)"));
        }
    }

    @Nested
    class Codes {

        final String verifier = "v".repeat(50);
        final Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final AuthorizationCodes.Issued issued = new AuthorizationCodes.Issued("app", "https://app.example.com/cb",
                Pkce.challengeOf(verifier), now.plusSeconds(60), null);

        @Test
        void aFreshCodeWithItsClientRedirectAndVerifierIsValid() {
            assertEquals(AuthorizationCodes.Status.VALID,
                    AuthorizationCodes.check(issued, "app", "https://app.example.com/cb", verifier, now));
        }

        @Test
        void everyBindingIsChecked() {
            assertEquals(AuthorizationCodes.Status.UNKNOWN,
                    AuthorizationCodes.check(null, "app", "https://app.example.com/cb", verifier, now));
            assertEquals(AuthorizationCodes.Status.WRONG_CLIENT,
                    AuthorizationCodes.check(issued, "other", "https://app.example.com/cb", verifier, now));
            assertEquals(AuthorizationCodes.Status.WRONG_REDIRECT_URI,
                    AuthorizationCodes.check(issued, "app", "https://app.example.com/cb2", verifier, now));
            assertEquals(AuthorizationCodes.Status.WRONG_VERIFIER,
                    AuthorizationCodes.check(issued, "app", "https://app.example.com/cb", "w".repeat(50), now));
            assertEquals(AuthorizationCodes.Status.EXPIRED,
                    AuthorizationCodes.check(issued, "app", "https://app.example.com/cb", verifier, now.plusSeconds(60)));
            AuthorizationCodes.Issued used = new AuthorizationCodes.Issued("app", "https://app.example.com/cb",
                    Pkce.challengeOf(verifier), now.plusSeconds(60), now);
            assertEquals(AuthorizationCodes.Status.USED,
                    AuthorizationCodes.check(used, "app", "https://app.example.com/cb", verifier, now));
        }

        @Test
        void codesAreRandomAndWellFormed() {
            String a = AuthorizationCodes.generate();
            assertTrue(AuthorizationCodes.wellFormed(a));
            assertFalse(a.equals(AuthorizationCodes.generate()));
            assertFalse(AuthorizationCodes.wellFormed(a.substring(1)));
            assertEquals(64, AuthorizationCodes.hash(a).length());
        }
    }

    @Nested
    class CsrfTokens {

        final Csrf csrf = new Csrf("k".repeat(32).getBytes(StandardCharsets.UTF_8));

        @Test
        void aTokenIsValidOnlyForItsBrowser() {
            String browser = Csrf.newBrowserValue();
            String token = csrf.token(browser);
            assertTrue(csrf.valid(browser, token));
            assertFalse(csrf.valid(Csrf.newBrowserValue(), token));
            assertFalse(csrf.valid(browser, null));
            assertFalse(csrf.valid(null, token));
            assertFalse(csrf.valid(browser, token.substring(1)));
        }

        @Test
        void anotherKeyMakesOtherTokens() {
            String browser = Csrf.newBrowserValue();
            Csrf other = new Csrf("j".repeat(32).getBytes(StandardCharsets.UTF_8));
            assertFalse(other.valid(browser, csrf.token(browser)));
        }
    }

    @Test
    void clientSecretsAreCheckedByHash() {
        String secret = ClientSecrets.generate();
        String hash = ClientSecrets.hash(secret);
        assertTrue(ClientSecrets.matches(secret, hash));
        assertFalse(ClientSecrets.matches(secret + "x", hash));
        assertFalse(ClientSecrets.matches(null, hash));
    }

    @Test
    void scopes() {
        assertEquals(List.of("openid", "email", "offline_access"), OAuthScopes.parse("openid email  offline_access email"));
        assertEquals(List.of("openid"), OAuthScopes.parse(null));
        assertNull(OAuthScopes.parse("openid admin"));
    }

    @Test
    void atHashIsTheLeftHalfOfSha256() {
        // OpenID Connect Core §3.1.3.6 with ES256 → SHA-256; 16 bytes → 22 base64url characters.
        assertEquals(22, IdTokens.atHash("token").length());
    }

    @Test
    void userCodesAreTypedForgivinglyButExactly() {
        String code = UserCodes.generate();
        assertEquals(8, code.length());
        assertTrue(code.chars().allMatch(c -> UserCodes.ALPHABET.indexOf(c) >= 0));
        String shown = UserCodes.display(code);
        assertEquals(code, UserCodes.normalise(shown));
        assertEquals(code, UserCodes.normalise(" " + shown.toLowerCase().replace("-", " ") + " "));
        assertNull(UserCodes.normalise("BCDF-GHJ"));
        assertNull(UserCodes.normalise("BCDF-GHJA"));
        assertNull(UserCodes.normalise(null));
        assertTrue(UserCodes.wellFormedDeviceCode(UserCodes.newDeviceCode()));
        assertFalse(UserCodes.wellFormedDeviceCode("lkdc_short"));
    }
}
