package dev.latchkey.apikey.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

    @Test
    void keysArePrefixedBase62With256BitsAndShowOnlyTheirStart() {
        ApiKeySecrets.NewKey key = ApiKeySecrets.generate();
        assertTrue(key.plaintext().matches("lk_[0-9A-Za-z]{43}"), key.plaintext());
        assertEquals(key.plaintext().substring(0, 7), key.start());
        assertTrue(ApiKeySecrets.wellFormed(key.plaintext()));
        assertFalse(key.toString().contains(key.plaintext().substring(7)), "toString must not reveal the key");
    }

    @Test
    void theStoredHashIsSha256OfTheKey() throws Exception {
        ApiKeySecrets.NewKey key = ApiKeySecrets.generate();
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(key.plaintext().getBytes("UTF-8"));
        assertArrayEquals(expected, key.hash());
        assertArrayEquals(expected, ApiKeySecrets.hash(key.plaintext()));
    }

    @Test
    void keysDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(ApiKeySecrets.generate().plaintext()));
        }
    }

    @Test
    void malformedKeysAreRecognisedWithoutALookup() {
        assertFalse(ApiKeySecrets.wellFormed(null));
        assertFalse(ApiKeySecrets.wellFormed(""));
        assertFalse(ApiKeySecrets.wellFormed("lk_short"));
        assertFalse(ApiKeySecrets.wellFormed("xx_" + "a".repeat(43)));
        assertFalse(ApiKeySecrets.wellFormed("lk_" + "a".repeat(42) + "!"));
        assertFalse(ApiKeySecrets.wellFormed("lk_" + "a".repeat(44)));
    }

    @Test
    void verdictOrdersRevokedBeforeExpiredAndTreatsTheBoundaryAsPast() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(VerificationStatus.NOT_FOUND, KeyVerdict.of(false, null, null, now));
        assertEquals(VerificationStatus.VALID, KeyVerdict.of(true, null, null, now));
        assertEquals(VerificationStatus.VALID, KeyVerdict.of(true, null, now.plusSeconds(1), now));
        assertEquals(VerificationStatus.EXPIRED, KeyVerdict.of(true, null, now, now));
        assertEquals(VerificationStatus.REVOKED, KeyVerdict.of(true, now.minusSeconds(5), now.minusSeconds(1), now));
        assertEquals(VerificationStatus.VALID, KeyVerdict.of(true, now.plusSeconds(60), null, now),
                "a revocation scheduled for later does not apply yet");
        assertNotEquals(VerificationStatus.VALID, KeyVerdict.of(true, now, null, now));
    }
}
