package dev.latchkey.common.auth;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The shape of Latchkey API keys: {@code <prefix>_<random>_<checksum>}, as GitHub's tokens are made. The prefix
 * says whose key it is ({@code lk}, or an organization's own such as {@code mao_key}); the random part is 36
 * base62 characters (214 bits) from SecureRandom; the checksum is the CRC32 of {@code <prefix>_<random>} in
 * 6 base62 characters. A mistyped or truncated key fails the checksum and is refused without any lookup, and
 * secret scanners can recognise a leaked key with certainty.
 */
public final class ApiKeyFormat {

    public static final int RANDOM_CHARS = 36;
    public static final int CHECKSUM_CHARS = 6;
    /** Prefixes: a lower-case letter, then up to 19 lower-case letters, digits or underscores. */
    public static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");
    private static final Pattern CURRENT = Pattern.compile(
            "(" + PREFIX.pattern() + ")_([0-9A-Za-z]{" + RANDOM_CHARS + "})_([0-9A-Za-z]{" + CHECKSUM_CHARS + "})");
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /** Longer than any well-formed key: anything longer is refused before a regex sees it. */
    public static final int MAX_LENGTH = 20 + 1 + RANDOM_CHARS + 1 + CHECKSUM_CHARS;

    private ApiKeyFormat() {
    }

    /** A key made of {@code prefix} and {@code random} (which must be base62), with its checksum. */
    public static String assemble(String prefix, String random) {
        String body = prefix + "_" + random;
        return body + "_" + checksum(body);
    }

    /** Whether {@code key} is a Latchkey key whose checksum holds. */
    public static boolean wellFormed(String key) {
        if (key == null || key.length() > MAX_LENGTH) {
            return false;
        }
        Matcher m = CURRENT.matcher(key);
        return m.matches() && checksum(m.group(1) + "_" + m.group(2)).equals(m.group(3));
    }

    /** The prefix of a key of Latchkey's shape, or null. */
    public static String prefix(String key) {
        if (key == null || key.length() > MAX_LENGTH) {
            return null;
        }
        Matcher m = CURRENT.matcher(key);
        return m.matches() ? m.group(1) : null;
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_CHARS];
        for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
            out[i] = BASE62[(int) (value % 62)];
            value /= 62;
        }
        return new String(out);
    }
}
