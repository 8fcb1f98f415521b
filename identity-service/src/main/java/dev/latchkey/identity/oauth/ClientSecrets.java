package dev.latchkey.identity.oauth;

import java.util.HexFormat;

import dev.latchkey.common.crypto.Secrets;

/**
 * Secrets of registered confidential clients: {@code lkcs_} + 43 base62 characters (256 bits from SecureRandom),
 * shown once at creation. Only the SHA-256 is stored: fast hashing is right for a high-entropy generated secret
 * (nobody can guess through 2^256), never for a password. Checked by comparing digests with
 * {@code MessageDigest.isEqual}.
 */
public final class ClientSecrets {

    public static final String PREFIX = "lkcs_";

    private ClientSecrets() {
    }

    public static String generate() {
        return PREFIX + Secrets.randomBase62(43);
    }

    public static String hash(String secret) {
        return HexFormat.of().formatHex(Secrets.sha256(secret));
    }

    /** Whether {@code presented} hashes to {@code storedHash}; constant time, false for nulls. */
    public static boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null || presented.length() > 256) {
            return false;
        }
        return Secrets.constantTimeEquals(Secrets.sha256(presented), HexFormat.of().parseHex(storedHash));
    }
}
