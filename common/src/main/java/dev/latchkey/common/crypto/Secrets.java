package dev.latchkey.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Random tokens, digests and constant-time comparison: the only way services handle secret material. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One digest per thread: {@code MessageDigest.getInstance} looks the provider up and checks algorithm
     * constraints on every call, which showed in profiles of the token-verification hot path.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    });
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Secrets() {
    }

    /**
     * A string of {@code length} characters drawn uniformly from [0-9A-Za-z]: 5.95 bits each, so 43
     * characters carry 256 bits. Base62 keeps the value selectable with one double-click.
     */
    public static String randomBase62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    public static byte[] randomBytes(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return out;
    }

    public static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] sha256(byte[] value) {
        // digest() resets the instance, so a thread's digest is always clean for its next use.
        return SHA256.get().digest(value);
    }

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    /** Compares two secrets in time independent of where they differ. Null equals nothing. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a, b);
    }

    /**
     * Compares two secret strings through their digests, so neither the position of the first difference
     * nor the length of the expected value shows in the timing.
     */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(a), sha256(b));
    }
}
