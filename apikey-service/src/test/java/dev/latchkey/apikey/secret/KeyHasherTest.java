package dev.latchkey.apikey.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class KeyHasherTest {

    static final String PEPPER = "0123456789abcdef0123456789abcdef-current";
    static final String OLD_PEPPER = "0123456789abcdef0123456789abcdef-previous";

    static byte[] hmac(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theJreHmacMatchesRfc4231() throws Exception {
        // RFC 4231, test case 2: the primitive the stored hash is built on.
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(hmac("Jefe", "what do ya want for nothing?")));
    }

    @Test
    void theStoredHashIsHmacSha256OfTheKeyUnderThePepper() throws Exception {
        KeyHasher hasher = new KeyHasher(PEPPER, List.of());
        String key = ApiKeySecrets.generate("lk").plaintext();
        assertArrayEquals(hmac(PEPPER, key), hasher.hash(key));
        assertFalse(MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(key.getBytes()), hasher.hash(key)),
                "not a bare SHA-256: a database copy alone cannot test candidate keys");
        assertTrue(hasher.currentScheme().matches("hmac-sha256:[0-9a-f]{8}"), hasher.currentScheme());
    }

    @Test
    void anotherPepperGivesAnotherHashAndScheme() {
        String key = ApiKeySecrets.generate("lk").plaintext();
        KeyHasher a = new KeyHasher(PEPPER, List.of());
        KeyHasher b = new KeyHasher(OLD_PEPPER, List.of());
        assertFalse(MessageDigest.isEqual(a.hash(key), b.hash(key)));
        assertNotEquals(a.currentScheme(), b.currentScheme());
    }

    @Test
    void candidatesCoverTheCurrentPepperFirstThenPreviousOnes() throws Exception {
        KeyHasher hasher = new KeyHasher(PEPPER, List.of(OLD_PEPPER));
        String key = ApiKeySecrets.generate("nsk").plaintext();
        List<KeyHasher.Candidate> candidates = hasher.candidates(key);
        assertEquals(2, candidates.size());
        assertEquals(hasher.currentScheme(), candidates.get(0).scheme());
        assertArrayEquals(hmac(PEPPER, key), candidates.get(0).hash());
        assertArrayEquals(hmac(OLD_PEPPER, key), candidates.get(1).hash());
        assertEquals(new KeyHasher(OLD_PEPPER, List.of()).currentScheme(), candidates.get(1).scheme());
    }

    @Test
    void shortOrRepeatedPeppersStopTheService() {
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher("short", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher(null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher(PEPPER, List.of("tiny")));
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher(PEPPER, List.of(PEPPER)));
    }

    @Test
    void neitherPepperNorKeyShowsInToString() {
        KeyHasher hasher = new KeyHasher(PEPPER, List.of(OLD_PEPPER));
        assertFalse(hasher.toString().contains("0123456789"));
    }
}
