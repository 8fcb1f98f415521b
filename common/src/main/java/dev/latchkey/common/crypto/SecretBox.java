package dev.latchkey.common.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets that a service must be able to read back (webhook signing secrets, private keys) with
 * AES-256-GCM under a key-encryption key (KEK) from configuration. Each value gets a fresh 96-bit random
 * nonce; the caller's associated data (typically the row's identity) is authenticated with it, so a sealed
 * value copied to another row does not open. Layout: version byte (1) | nonce (12) | ciphertext+tag (16).
 * <p>
 * Random 96-bit nonces stay safe up to about 2^32 values per KEK (NIST SP 800-38D), far beyond the number of
 * secrets a Latchkey installation seals.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;

    private final SecretKey kek;

    public SecretBox(byte[] kek) {
        if (kek == null || kek.length != 32) {
            throw new IllegalArgumentException("The key-encryption key must be 32 bytes (256 bits)");
        }
        this.kek = new SecretKeySpec(kek.clone(), "AES");
    }

    /** A KEK given as base64 (standard or URL-safe) of 32 bytes, as {@code openssl rand -base64 32} prints. */
    public static SecretBox fromBase64(String base64) {
        return new SecretBox(decodeKey(base64));
    }

    /** The bytes of a KEK given as base64 (standard or URL-safe), for keys derived from it. */
    public static byte[] decodeKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("The key-encryption key is empty");
        }
        try {
            String trimmed = base64.trim();
            return trimmed.contains("-") || trimmed.contains("_") ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The key-encryption key is not valid base64");
        }
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JRE", e);
        }
    }

    /**
     * @throws SealedValueException when the value was not sealed by this KEK with this associated data, or was
     *                              altered; the message names neither the plaintext nor the key
     */
    public byte[] open(byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < OVERHEAD || sealed[0] != VERSION) {
            throw new SealedValueException("The sealed value is not in a known format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealedValueException(
                    "The sealed value does not open with the configured key-encryption key (wrong KEK, moved or altered data)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JRE", e);
        }
    }

    public static final class SealedValueException extends RuntimeException {
        public SealedValueException(String message) {
            super(message);
        }
    }
}
