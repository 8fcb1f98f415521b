package dev.latchkey.identity.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.latchkey.identity.session.RefreshTokens.Decision;

class RefreshTokensTest {

    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final Instant EXPIRES = NOW.plus(Duration.ofHours(6));
    static final Duration GRACE = Duration.ofSeconds(5);

    @Test
    void tokensAreRandomPrefixedAndWellFormed() {
        String a = RefreshTokens.generate();
        assertTrue(a.startsWith("lkr_") && RefreshTokens.wellFormed(a));
        assertNotEquals(a, RefreshTokens.generate());
        assertFalse(RefreshTokens.wellFormed(a + "x"));
        assertFalse(RefreshTokens.wellFormed("lkr_" + "é".repeat(43)));
        assertFalse(RefreshTokens.wellFormed(null));
    }

    @Test
    void theCurrentTokenRotates() {
        assertEquals(Decision.ROTATE, RefreshTokens.decide(true, null, null, EXPIRES, NOW, GRACE));
    }

    @Test
    void aRotatedTokenIsToleratedOnlyWithinTheGraceWindow() {
        assertEquals(Decision.GRACE, RefreshTokens.decide(true, NOW.minusSeconds(4), null, EXPIRES, NOW, GRACE));
        assertEquals(Decision.REUSE, RefreshTokens.decide(true, NOW.minusSeconds(5), null, EXPIRES, NOW, GRACE));
        assertEquals(Decision.REUSE, RefreshTokens.decide(true, NOW.minusSeconds(1), null, EXPIRES, NOW, Duration.ZERO));
    }

    @Test
    void anEndedSessionWinsOverEverything() {
        assertEquals(Decision.ENDED, RefreshTokens.decide(true, null, NOW.minusSeconds(1), EXPIRES, NOW, GRACE));
        assertEquals(Decision.ENDED, RefreshTokens.decide(true, NOW.minusSeconds(60), NOW, EXPIRES, NOW, GRACE));
    }

    @Test
    void theAbsoluteLifetimeIsExact() {
        assertEquals(Decision.ROTATE, RefreshTokens.decide(true, null, null, NOW.plusMillis(1), NOW, GRACE));
        assertEquals(Decision.EXPIRED, RefreshTokens.decide(true, null, null, NOW, NOW, GRACE));
    }

    @Test
    void anUnknownTokenIsUnknown() {
        assertEquals(Decision.UNKNOWN, RefreshTokens.decide(false, null, null, EXPIRES, NOW, GRACE));
    }
}
