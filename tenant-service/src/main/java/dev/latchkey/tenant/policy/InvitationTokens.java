package dev.latchkey.tenant.policy;

import java.util.regex.Pattern;

import dev.latchkey.common.crypto.Secrets;

/**
 * Invitation tokens: {@code lki_} and 43 base62 characters (256 bits from {@code SecureRandom}). Only their
 * SHA-256 is stored, and they are looked up by that hash, so no token is ever compared in application code;
 * SHA-256 rather than a slow hash because the token is random, not a password.
 */
public final class InvitationTokens {

    public static final String PREFIX = "lki_";
    private static final Pattern FORMAT = Pattern.compile("^lki_[0-9A-Za-z]{43}$");

    private InvitationTokens() {
    }

    public static String generate() {
        return PREFIX + Secrets.randomBase62(43);
    }

    /** Whether {@code token} could be one of ours: anything else is refused without a database lookup. */
    public static boolean wellFormed(String token) {
        return token != null && FORMAT.matcher(token).matches();
    }

    public static byte[] hash(String token) {
        return Secrets.sha256(token);
    }
}
