package dev.latchkey.webhook.signature;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over concatenated parts, and constant-time matching of candidates against several keys. */
final class Hmac {

    private static final byte[] DOT = { '.' };
    /** One Mac per thread: {@code Mac.getInstance} looks the provider up on every call. */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
        }
    });

    private Hmac() {
    }

    /** HMAC of the parts joined by '.', e.g. {@code id.timestamp.body}, without copying the body. */
    static byte[] dotted(byte[] key, byte[]... parts) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable HMAC key", e);
        }
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                mac.update(DOT);
            }
            mac.update(parts[i]);
        }
        return mac.doFinal();
    }

    /**
     * Whether any candidate equals the HMAC under any key. Every key is tried and every comparison is
     * {@link MessageDigest#isEqual}, so timing reveals neither which key matched nor where a guess differs.
     */
    static boolean anyMatches(List<byte[]> keys, List<byte[]> candidates, byte[]... parts) {
        boolean match = false;
        for (byte[] key : keys) {
            byte[] expected = dotted(key, parts);
            for (byte[] candidate : candidates) {
                match |= MessageDigest.isEqual(expected, candidate);
            }
        }
        return match;
    }

    /** The 32 bytes of a 64-character hex string (either case), or null. */
    static byte[] hex32(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
