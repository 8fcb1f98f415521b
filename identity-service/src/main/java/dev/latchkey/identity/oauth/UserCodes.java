package dev.latchkey.identity.oauth;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

import dev.latchkey.common.crypto.Secrets;

/**
 * The codes of the device authorization grant (RFC 8628). The user code is what a person types on another
 * device: eight letters from an alphabet without vowels (no words) and without look-alikes, shown as
 * {@code BCDF-GHJK} (§6.1: 20^8 ≈ 2^34.6; guessing is bounded by the 10-minute lifetime, by the limit on wrong
 * codes per client address (§5.1, {@code LoginLimiter}) and by the sign-in that follows, since a user code alone
 * grants nothing). The device code is the client's secret for polling:
 * {@code lkdc_} + 43 base62 characters, stored only as SHA-256.
 */
public final class UserCodes {

    public static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    public static final String DEVICE_CODE_PREFIX = "lkdc_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserCodes() {
    }

    /** Eight letters, canonical form (no dash). */
    public static String generate() {
        StringBuilder out = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    /** {@code BCDFGHJK} → {@code BCDF-GHJK}, as shown to people. */
    public static String display(String canonical) {
        return canonical.substring(0, 4) + "-" + canonical.substring(4);
    }

    /**
     * What a person typed, in canonical form: case, spaces and dashes ignored (§6.1); null unless exactly eight
     * letters of the alphabet remain.
     */
    public static String normalise(String typed) {
        if (typed == null || typed.length() > 32) {
            return null;
        }
        StringBuilder out = new StringBuilder(8);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0) {
                return null;
            }
            out.append(c);
        }
        return out.length() == 8 ? out.toString() : null;
    }

    public static String newDeviceCode() {
        return DEVICE_CODE_PREFIX + Secrets.randomBase62(43);
    }

    public static boolean wellFormedDeviceCode(String code) {
        return code != null && code.length() == DEVICE_CODE_PREFIX.length() + 43 && code.startsWith(DEVICE_CODE_PREFIX)
                && code.chars().skip(DEVICE_CODE_PREFIX.length()).allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    public static String hash(String deviceCode) {
        return HexFormat.of().formatHex(Secrets.sha256(deviceCode));
    }
}
