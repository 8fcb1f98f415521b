package dev.latchkey.identity.oauth;

import java.time.Instant;
import java.util.HexFormat;

import dev.latchkey.common.crypto.Secrets;

/**
 * Authorization codes: {@code lkac_} + 43 base62 characters, stored only as SHA-256. A code is single-use, lives
 * at most 60 seconds and is bound to the client it was issued to, the redirect URI of the request and the PKCE
 * challenge; {@link #check} says whether a presented code may be exchanged, as a status rather than an exception.
 */
public final class AuthorizationCodes {

    public static final String PREFIX = "lkac_";

    /** The outcome of presenting a code at the token endpoint. */
    public enum Status {
        VALID,
        /** No such code. */
        UNKNOWN,
        /** Already exchanged: a replay. Whatever it was exchanged for is revoked. */
        USED,
        EXPIRED,
        /** Issued to another client. */
        WRONG_CLIENT,
        /** Not the redirect URI of the authorization request. */
        WRONG_REDIRECT_URI,
        /** The code verifier does not answer the challenge. */
        WRONG_VERIFIER
    }

    private AuthorizationCodes() {
    }

    public static String generate() {
        return PREFIX + Secrets.randomBase62(43);
    }

    public static boolean wellFormed(String code) {
        return code != null && code.length() == PREFIX.length() + 43 && code.startsWith(PREFIX)
                && code.chars().skip(PREFIX.length()).allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    public static String hash(String code) {
        return HexFormat.of().formatHex(Secrets.sha256(code));
    }

    /** What the server stored for a code. */
    public record Issued(String clientId, String redirectUri, String codeChallenge, Instant expiresAt, Instant usedAt) {
    }

    /**
     * @param issued   the stored code, or null when unknown
     * @param clientId the authenticated client presenting it
     */
    public static Status check(Issued issued, String clientId, String redirectUri, String codeVerifier, Instant now) {
        if (issued == null) {
            return Status.UNKNOWN;
        }
        if (issued.usedAt() != null) {
            return Status.USED;
        }
        if (!now.isBefore(issued.expiresAt())) {
            return Status.EXPIRED;
        }
        if (!issued.clientId().equals(clientId)) {
            return Status.WRONG_CLIENT;
        }
        if (!issued.redirectUri().equals(redirectUri)) {
            return Status.WRONG_REDIRECT_URI;
        }
        if (!Pkce.verifies(codeVerifier, issued.codeChallenge())) {
            return Status.WRONG_VERIFIER;
        }
        return Status.VALID;
    }
}
