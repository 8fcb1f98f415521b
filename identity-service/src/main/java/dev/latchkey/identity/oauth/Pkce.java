package dev.latchkey.identity.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import dev.latchkey.common.crypto.Secrets;

/**
 * Proof Key for Code Exchange (RFC 7636), S256 only: OAuth 2.1 requires PKCE for every client, and {@code plain}
 * sends the verifier's equivalent through the browser, which is what PKCE exists to avoid.
 */
public final class Pkce {

    public static final String S256 = "S256";

    private Pkce() {
    }

    /** A verifier is 43 to 128 characters of {@code [A-Za-z0-9-._~]} (RFC 7636 §4.1). */
    public static boolean validVerifier(String verifier) {
        return verifier != null && verifier.length() >= 43 && verifier.length() <= 128
                && verifier.chars().allMatch(Pkce::unreserved);
    }

    /** An S256 challenge is the unpadded base64url of a SHA-256: exactly 43 characters of the URL-safe alphabet. */
    public static boolean validChallenge(String challenge) {
        return challenge != null && challenge.length() == 43
                && challenge.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
    }

    /** {@code BASE64URL(SHA256(ASCII(verifier)))}. */
    public static String challengeOf(String verifier) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Secrets.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Whether {@code verifier} answers {@code challenge}; compared in constant time. */
    public static boolean verifies(String verifier, String challenge) {
        if (!validVerifier(verifier) || !validChallenge(challenge)) {
            return false;
        }
        return MessageDigest.isEqual(challengeOf(verifier).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean unreserved(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~');
    }
}
