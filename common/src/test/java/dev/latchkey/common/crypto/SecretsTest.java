package dev.latchkey.common.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void base62TokensUseTheWholeAlphabetEvenly() {
        int[] counts = new int[128];
        int total = 0;
        for (int i = 0; i < 2000; i++) {
            for (char c : Secrets.randomBase62(31).toCharArray()) {
                counts[c]++;
                total++;
            }
        }
        int expected = total / 62;
        int seen = 0;
        for (int c = 0; c < 128; c++) {
            if (counts[c] > 0) {
                seen++;
                assertTrue(Character.isLetterOrDigit(c));
                // 1000 expected per symbol; a biased generator (modulo bias, missing symbols) lands far outside.
                assertTrue(Math.abs(counts[c] - expected) < expected * 0.2, "symbol " + (char) c + ": " + counts[c]);
            }
        }
        assertEquals(62, seen);
    }

    @Test
    void constantTimeEqualsComparesValuesNotReferences() {
        assertTrue(Secrets.constantTimeEquals("secret", new String("secret")));
        assertFalse(Secrets.constantTimeEquals("secret", "secreT"));
        assertFalse(Secrets.constantTimeEquals("secret", "secret "));
        assertFalse(Secrets.constantTimeEquals("secret", null));
        assertFalse(Secrets.constantTimeEquals((byte[]) null, new byte[0]));
    }

    @Test
    void sha256MatchesAPublishedVector() {
        // FIPS 180-2 example: SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.sha256Hex("abc"));
    }
}
