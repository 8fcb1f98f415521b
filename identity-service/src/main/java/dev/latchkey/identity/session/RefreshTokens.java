package dev.latchkey.identity.session;

import java.time.Duration;
import java.time.Instant;

import dev.latchkey.common.crypto.Secrets;

/**
 * The first form of refresh token (sessions now start with {@link SessionRefreshTokens}; sessions that started with
 * this one keep it until they end), and the rules of its rotation. A token is {@code lkr_} + 43 base62 characters (256
 * bits from SecureRandom); only its SHA-256 is stored. Every use rotates it: the presented token is marked
 * rotated and a new one issued. Presenting a token that was already rotated means two parties hold the same
 * session (a stolen token), so the whole session ends, unless it happens within a short grace window after the
 * rotation, which tolerates a client's legitimate double send (two tabs, a retried request).
 */
public final class RefreshTokens {

    public static final String PREFIX = "lkr_";
    private static final int RANDOM_CHARS = 43;

    /** What to do with a presented refresh token. */
    public enum Decision {
        /** Current token: rotate it and issue new tokens. */
        ROTATE,
        /** Already rotated, but within the grace window: issue new tokens without ending the session. */
        GRACE,
        /** Already rotated, past the grace window: replay of a stolen token; end the session. */
        REUSE,
        /** The session has passed its absolute lifetime. */
        EXPIRED,
        /** The session was ended (logout, reuse, password change, an operator). */
        ENDED,
        /** No such token. */
        UNKNOWN
    }

    private RefreshTokens() {
    }

    public static String generate() {
        return PREFIX + Secrets.randomBase62(RANDOM_CHARS);
    }

    public static byte[] hash(String token) {
        return Secrets.sha256(token);
    }

    /** A cheap shape check: junk never reaches the database. */
    public static boolean wellFormed(String token) {
        return token != null && token.length() == PREFIX.length() + RANDOM_CHARS && token.startsWith(PREFIX)
                && token.chars().skip(PREFIX.length()).allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    /**
     * @param found          whether the token exists
     * @param rotatedAt      when the token was rotated, or null while it is the session's current token
     * @param sessionEndedAt when its session ended, or null
     * @param sessionExpires the session's absolute end
     */
    public static Decision decide(boolean found, Instant rotatedAt, Instant sessionEndedAt, Instant sessionExpires,
            Instant now, Duration grace) {
        if (!found) {
            return Decision.UNKNOWN;
        }
        if (sessionEndedAt != null) {
            return Decision.ENDED;
        }
        if (!now.isBefore(sessionExpires)) {
            return Decision.EXPIRED;
        }
        if (rotatedAt == null) {
            return Decision.ROTATE;
        }
        return now.isBefore(rotatedAt.plus(grace)) ? Decision.GRACE : Decision.REUSE;
    }
}
