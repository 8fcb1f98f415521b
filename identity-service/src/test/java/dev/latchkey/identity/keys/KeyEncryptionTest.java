package dev.latchkey.identity.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.Secrets;

class KeyEncryptionTest {

    private final KeyEncryption kek = new KeyEncryption(Secrets.randomBytes(32));
    private final byte[] secret = Secrets.randomBytes(138);

    @Test
    void roundTripsUnderTheSameKekAndKid() {
        assertArrayEquals(secret, kek.decrypt(kek.encrypt(secret, "kid-1"), "kid-1"));
    }

    @Test
    void ciphertextDoesNotContainThePlaintextAndDiffersEachTime() {
        byte[] a = kek.encrypt(secret, "kid-1");
        byte[] b = kek.encrypt(secret, "kid-1");
        assertFalse(Arrays.equals(a, b), "a fresh nonce per encryption");
        assertFalse(indexOf(a, Arrays.copyOf(secret, 16)) >= 0);
    }

    @Test
    void anotherKekCannotDecrypt() {
        byte[] sealed = kek.encrypt(secret, "kid-1");
        assertThrows(KeyEncryption.KeyDecryptionException.class,
                () -> new KeyEncryption(Secrets.randomBytes(32)).decrypt(sealed, "kid-1"));
    }

    @Test
    void ciphertextMovedToAnotherKidDoesNotDecrypt() {
        byte[] sealed = kek.encrypt(secret, "kid-1");
        assertThrows(KeyEncryption.KeyDecryptionException.class, () -> kek.decrypt(sealed, "kid-2"));
    }

    @Test
    void anyFlippedBitIsDetected() {
        byte[] sealed = kek.encrypt(secret, "kid-1");
        for (int i = 1; i < sealed.length; i += 7) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThrows(KeyEncryption.KeyDecryptionException.class, () -> kek.decrypt(tampered, "kid-1"));
        }
    }

    @Test
    void truncatedOrUnknownFormatIsRefused() {
        byte[] sealed = kek.encrypt(secret, "kid-1");
        assertThrows(KeyEncryption.KeyDecryptionException.class, () -> kek.decrypt(Arrays.copyOf(sealed, 20), "kid-1"));
        byte[] otherVersion = sealed.clone();
        otherVersion[0] = 9;
        assertThrows(KeyEncryption.KeyDecryptionException.class, () -> kek.decrypt(otherVersion, "kid-1"));
    }

    @Test
    void kekMustBe256Bits() {
        assertThrows(IllegalArgumentException.class, () -> new KeyEncryption(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> KeyEncryption.fromBase64("not base64 at all!"));
        assertThrows(IllegalArgumentException.class,
                () -> KeyEncryption.fromBase64(Base64.getEncoder().encodeToString(new byte[31])));
        KeyEncryption.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
        KeyEncryption.fromBase64(Base64.getUrlEncoder().encodeToString(new byte[32]) + "\n");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Keys stored by identity before it used latchkey-common's SecretBox open with it, and the other way round. */
    @Test
    void theLayoutIsSecretBoxsSoEarlierKeysStillOpen() {
        byte[] raw = Secrets.randomBytes(32);
        byte[] plaintext = "-----BEGIN PRIVATE KEY-----".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.latchkey.common.crypto.SecretBox box = new dev.latchkey.common.crypto.SecretBox(raw);
        assertArrayEquals(plaintext, new KeyEncryption(raw).decrypt(box.seal(plaintext, "kid-9"), "kid-9"));
        assertArrayEquals(plaintext, box.open(new KeyEncryption(raw).encrypt(plaintext, "kid-9"), "kid-9"));
    }
}
