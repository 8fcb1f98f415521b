package dev.latchkey.apikey.secret;

import dev.latchkey.common.auth.ApiKeyFormat;
import dev.latchkey.common.crypto.Secrets;

/**
 * New key material: {@code <prefix>_<36 base62>_<6 base62 CRC32>} (see {@link ApiKeyFormat}), 214 random bits
 * from SecureRandom. What is kept of a key besides its keyed hash ({@link KeyHasher}) is what a person needs to
 * tell keys apart: its start (the prefix and four random characters) and its last four characters.
 */
public final class ApiKeySecrets {

    /** Random characters shown after the prefix in {@code start}. */
    static final int START_RANDOM_CHARS = 4;
    static final int LAST_CHARS = 4;

    private ApiKeySecrets() {
    }

    /** A new key with {@code prefix}. The plaintext leaves this service once, in the response that creates it. */
    public static NewKey generate(String prefix) {
        if (prefix == null || !ApiKeyFormat.PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid key prefix");
        }
        String plaintext = ApiKeyFormat.assemble(prefix, Secrets.randomBase62(ApiKeyFormat.RANDOM_CHARS));
        return new NewKey(plaintext, prefix, plaintext.substring(0, prefix.length() + 1 + START_RANDOM_CHARS),
                plaintext.substring(plaintext.length() - LAST_CHARS));
    }

    /**
     * @param plaintext the key itself: returned once, never stored, never logged
     * @param start     the prefix and the first random characters, e.g. {@code mao_key_3xQa}
     * @param lastFour  the key's last four characters
     */
    public record NewKey(String plaintext, String prefix, String start, String lastFour) {
        @Override
        public String toString() {
            return "NewKey[start=" + start + "]";
        }
    }
}
