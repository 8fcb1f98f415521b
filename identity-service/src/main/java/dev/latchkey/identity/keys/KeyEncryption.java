package dev.latchkey.identity.keys;

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

import dev.latchkey.common.crypto.Secrets;

/**
 * Encrypts private keys at rest with AES-256-GCM under a key-encryption key (KEK). Each value gets a fresh
 * 96-bit nonce; the key's {@code kid} is bound as associated data, so a ciphertext moved to another row
 * does not decrypt. Layout: version byte (1) | nonce (12) | ciphertext+tag.
 */
public final class KeyEncryption {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey kek;

    public KeyEncryption(byte[] kek) {
        if (kek == null || kek.length != 32) {
            throw new IllegalArgumentException("The key-encryption key must be 32 bytes (256 bits)");
        }
        this.kek = new SecretKeySpec(kek.clone(), "AES");
    }

    /** Reads a KEK given as base64 (standard or URL-safe) of 32 bytes. */
    public static KeyEncryption fromBase64(String base64) {
        byte[] raw;
        try {
            String trimmed = base64.trim();
            raw = trimmed.contains("-") || trimmed.contains("_") ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The key-encryption key is not valid base64");
        }
        return new KeyEncryption(raw);
    }

    public byte[] encrypt(byte[] plaintext, String kid) {
        byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JRE", e);
        }
    }

    /** @throws KeyDecryptionException when the value was not sealed by this KEK for this {@code kid} */
    public byte[] decrypt(byte[] sealed, String kid) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new KeyDecryptionException("Key material for " + kid + " is not in a known format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new KeyDecryptionException("Key " + kid
                    + " does not decrypt with the configured key-encryption key (wrong KEK, or tampered data)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JRE", e);
        }
    }

    public static final class KeyDecryptionException extends RuntimeException {
        public KeyDecryptionException(String message) {
            super(message);
        }
    }
}
