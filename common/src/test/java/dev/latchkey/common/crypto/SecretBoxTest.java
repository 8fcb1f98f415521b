package dev.latchkey.common.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final byte[] KEK = Secrets.randomBytes(32);
    private final SecretBox box = new SecretBox(KEK);
    private final byte[] secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".getBytes(StandardCharsets.UTF_8);

    @Test
    void opensWhatItSealed() {
        assertArrayEquals(secret, box.open(box.seal(secret, "provider/1"), "provider/1"));
    }

    @Test
    void theSealedValueHidesThePlaintextAndNeverRepeats() {
        byte[] one = box.seal(secret, "a");
        byte[] two = box.seal(secret, "a");
        assertFalse(new String(one, StandardCharsets.ISO_8859_1).contains("whsec_"));
        assertFalse(Arrays.equals(one, two), "a fresh nonce per value");
        assertEquals(1 + 12 + secret.length + 16, one.length);
    }

    @Test
    void aValueMovedToAnotherRowDoesNotOpen() {
        byte[] sealed = box.seal(secret, "provider-a/secret-1");
        assertThrows(SecretBox.SealedValueException.class, () -> box.open(sealed, "provider-b/secret-1"));
    }

    @Test
    void anyFlippedBitIsDetected() {
        byte[] sealed = box.seal(secret, "x");
        for (int i = 1; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 1;
            assertThrows(SecretBox.SealedValueException.class, () -> box.open(tampered, "x"), "byte " + i);
        }
    }

    @Test
    void anotherKekDoesNotOpenIt() {
        byte[] sealed = box.seal(secret, "x");
        SecretBox other = new SecretBox(Secrets.randomBytes(32));
        assertThrows(SecretBox.SealedValueException.class, () -> other.open(sealed, "x"));
    }

    @Test
    void truncatedOrUnknownVersionsAreRefused() {
        byte[] sealed = box.seal(secret, "x");
        assertThrows(SecretBox.SealedValueException.class, () -> box.open(Arrays.copyOf(sealed, 20), "x"));
        byte[] version2 = sealed.clone();
        version2[0] = 2;
        assertThrows(SecretBox.SealedValueException.class, () -> box.open(version2, "x"));
        assertThrows(SecretBox.SealedValueException.class, () -> box.open(null, "x"));
    }

    @Test
    void theLayoutIsPlainAesGcmThatTheJdkOpensDirectly() throws Exception {
        byte[] sealed = box.seal(secret, "aad");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEK, "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 1, 13)));
        cipher.updateAAD("aad".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(secret, cipher.doFinal(sealed, 13, sealed.length - 13));
    }

    @Test
    void kekMustBe256BitsOfBase64() {
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64(" "));
        SecretBox fromText = SecretBox.fromBase64(Base64.getEncoder().encodeToString(KEK));
        assertArrayEquals(secret, fromText.open(box.seal(secret, "x"), "x"));
        SecretBox urlSafe = SecretBox.fromBase64(Base64.getUrlEncoder().encodeToString(KEK));
        assertNotEquals(null, urlSafe);
    }
}
