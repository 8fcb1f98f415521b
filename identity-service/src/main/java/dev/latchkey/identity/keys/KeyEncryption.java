package dev.latchkey.identity.keys;

import dev.latchkey.common.crypto.SecretBox;

/**
 * Encrypts signing keys at rest: latchkey-common's {@link SecretBox} (AES-256-GCM under the key-encryption key,
 * a fresh 96-bit nonce per value) with the key's {@code kid} as associated data, so a ciphertext moved to another
 * row does not decrypt. The layout (version byte 1 | nonce | ciphertext+tag) is SecretBox's, the one identity
 * wrote before it used SecretBox, so keys stored then still open. What this adds is the {@code kid} in front
 * of SecretBox's reason, the message an operator sees when identity is started with the wrong KEK.
 */
public final class KeyEncryption {

    private final SecretBox box;

    public KeyEncryption(byte[] kek) {
        this.box = new SecretBox(kek);
    }

    /** Reads a KEK given as base64 (standard or URL-safe) of 32 bytes. */
    public static KeyEncryption fromBase64(String base64) {
        return new KeyEncryption(SecretBox.fromBase64(base64));
    }

    private KeyEncryption(SecretBox box) {
        this.box = box;
    }

    public byte[] encrypt(byte[] plaintext, String kid) {
        return box.seal(plaintext, kid);
    }

    /** @throws KeyDecryptionException when the value was not sealed by this KEK for this {@code kid} */
    public byte[] decrypt(byte[] sealed, String kid) {
        try {
            return box.open(sealed, kid);
        } catch (SecretBox.SealedValueException e) {
            throw new KeyDecryptionException("Key " + kid + ": " + e.getMessage());
        }
    }

    public static final class KeyDecryptionException extends RuntimeException {
        public KeyDecryptionException(String message) {
            super(message);
        }
    }
}
