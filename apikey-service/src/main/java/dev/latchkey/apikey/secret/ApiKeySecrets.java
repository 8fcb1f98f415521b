package dev.latchkey.apikey.secret;

import java.util.regex.Pattern;

import dev.latchkey.common.crypto.Secrets;

/**
 * API key material, as Unkey does it: a readable prefix and 256 bits of randomness. Only the SHA-256 of the
 * key is stored. A fast hash is right here, unlike for passwords: the key is uniformly random and far too
 * long to guess, so there is nothing for a slow hash to protect, and verification stays a lookup by hash
 * (no secret is compared in application code).
 */
public final class ApiKeySecrets {

    public static final String PREFIX = "lk_";
    /** 43 base62 characters carry 256 bits. */
    static final int RANDOM_CHARS = 43;
    /** The part of a key shown again later, to help a human tell keys apart. */
    static final int START_CHARS = PREFIX.length() + 4;
    private static final Pattern WELL_FORMED = Pattern.compile("lk_[0-9A-Za-z]{" + RANDOM_CHARS + "}");

    private ApiKeySecrets() {
    }

    /** A new key. The plaintext leaves this service once, in the creation response. */
    public static NewKey generate() {
        String plaintext = PREFIX + Secrets.randomBase62(RANDOM_CHARS);
        return new NewKey(plaintext, plaintext.substring(0, START_CHARS), hash(plaintext));
    }

    public static byte[] hash(String key) {
        return Secrets.sha256(key);
    }

    /** Cheap shape check, so that obvious junk never reaches the database. */
    public static boolean wellFormed(String key) {
        return key != null && WELL_FORMED.matcher(key).matches();
    }

    public record NewKey(String plaintext, String start, byte[] hash) {
        @Override
        public String toString() {
            return "NewKey[start=" + start + "]";
        }
    }
}
