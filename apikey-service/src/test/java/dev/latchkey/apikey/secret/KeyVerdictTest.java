package dev.latchkey.apikey.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class KeyVerdictTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void revokedComesBeforeExpiredAndTheBoundaryIsPast() {
        assertEquals(VerificationStatus.NOT_FOUND, KeyVerdict.of(false, null, null, NOW));
        assertEquals(VerificationStatus.VALID, KeyVerdict.of(true, null, null, NOW));
        assertEquals(VerificationStatus.VALID, KeyVerdict.of(true, null, NOW.plusSeconds(1), NOW));
        assertEquals(VerificationStatus.EXPIRED, KeyVerdict.of(true, null, NOW, NOW));
        assertEquals(VerificationStatus.REVOKED, KeyVerdict.of(true, NOW.minusSeconds(5), NOW.minusSeconds(1), NOW));
        assertEquals(VerificationStatus.VALID, KeyVerdict.of(true, NOW.plusSeconds(60), null, NOW),
                "a revocation scheduled for later (rotation grace) does not apply yet");
        assertNotEquals(VerificationStatus.VALID, KeyVerdict.of(true, NOW, null, NOW));
    }

    @Test
    void aKeyEndsAtItsExpiryOrItsGraceWhicheverComesFirst() {
        assertNull(KeyVerdict.end(null, null));
        assertEquals(NOW, KeyVerdict.end(null, NOW));
        assertEquals(NOW, KeyVerdict.end(NOW, null));
        assertEquals(NOW, KeyVerdict.end(NOW, NOW.plusSeconds(10)));
        assertEquals(NOW, KeyVerdict.end(NOW.plusSeconds(10), NOW));
    }
}
