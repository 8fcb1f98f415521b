package dev.latchkey.identity.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.identity.session.SessionRefreshTokens.Decision;
import dev.latchkey.identity.session.SessionRefreshTokens.Parsed;

class SessionRefreshTokensTest {

    static final byte[] KEK = dev.latchkey.common.crypto.SecretBox.decodeKey("ZGV2LW9ubHkta2VrLWRvLW5vdC11c2UtaW4tcHJvZCE=");
    static final SessionRefreshTokens TOKENS = new SessionRefreshTokens(KEK);
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final Instant EXPIRES = NOW.plus(Duration.ofHours(6));
    static final Duration GRACE = Duration.ofSeconds(5);
    static final UUID SID = UUID.fromString("0b7f3c1e-6f43-4f0e-9d59-1a2b3c4d5e6f");

    @Test
    void aTokenNamesItsSessionAndGenerationAndIsOnlyStoredAsItsHash() {
        String token = TOKENS.issue(SID, 7);
        assertEquals(SessionRefreshTokens.LENGTH, token.length());
        assertTrue(token.startsWith("lkr_") && SessionRefreshTokens.looksLike(token));
        assertEquals(95, token.length());
        Parsed parsed = TOKENS.parse(token);
        assertEquals(SID, parsed.sessionId());
        assertEquals(7, parsed.generation());
        assertEquals(Secrets.sha256Hex(token), parsed.hash());
        assertNotEquals(token, TOKENS.issue(SID, 7), "32 random bytes in each");
    }

    @Test
    void onlyTokensThisKeyMacedParse() {
        String token = TOKENS.issue(SID, 1);
        // Another deployment's key, any edited byte, a token of another shape, junk: none parses.
        byte[] otherKek = KEK.clone();
        otherKek[0] ^= 1;
        assertNull(new SessionRefreshTokens(otherKek).parse(token));
        byte[] raw = Base64.getUrlDecoder().decode(token.substring(4));
        for (int i = 0; i < raw.length; i++) {
            byte[] edited = raw.clone();
            edited[i] ^= 0x01;
            assertNull(TOKENS.parse("lkr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(edited)), "byte " + i);
        }
        assertNull(TOKENS.parse("lkr_" + Secrets.randomBase62(43)));
        assertNull(TOKENS.parse("lkr_" + "!".repeat(91)));
        assertNull(TOKENS.parse(null));
        assertNotNull(TOKENS.parse(token));
    }

    private static Decision decide(Parsed presented, Integer generation, String current, String[] siblings,
            String previous, Instant refreshedAt) {
        return SessionRefreshTokens.decide(presented, generation, current, siblings, previous, refreshedAt, null, null,
                EXPIRES, NOW, GRACE);
    }

    @Test
    void theCurrentTokenOrASiblingRotates() {
        Parsed current = TOKENS.parse(TOKENS.issue(SID, 3));
        Parsed sibling = TOKENS.parse(TOKENS.issue(SID, 3));
        assertEquals(Decision.ROTATE, decide(current, 3, current.hash(), null, "p", NOW.minusSeconds(60)));
        assertEquals(Decision.ROTATE, decide(sibling, 3, current.hash(), new String[] { "x", sibling.hash() }, "p",
                NOW.minusSeconds(60)));
    }

    @Test
    void theTokenRotatedLastIsToleratedWithinTheGraceWindowOnly() {
        Parsed previous = TOKENS.parse(TOKENS.issue(SID, 2));
        assertEquals(Decision.GRACE, decide(previous, 3, "c", null, previous.hash(), NOW.minusSeconds(4)));
        assertEquals(Decision.REUSE, decide(previous, 3, "c", null, previous.hash(), NOW.minusSeconds(5)));
    }

    @Test
    void aHeldPreviousTokenStaysAcceptedUntilTheHoldEnds() {
        Parsed previous = TOKENS.parse(TOKENS.issue(SID, 2));
        Instant rotated = NOW.minusSeconds(3600);
        assertEquals(Decision.GRACE, SessionRefreshTokens.decide(previous, 3, "c", null, previous.hash(), rotated,
                NOW.plusSeconds(1), null, EXPIRES, NOW, GRACE));
        assertEquals(Decision.REUSE, SessionRefreshTokens.decide(previous, 3, "c", null, previous.hash(), rotated,
                NOW, null, EXPIRES, NOW, GRACE), "the hold has ended");
        Parsed older = TOKENS.parse(TOKENS.issue(SID, 1));
        assertEquals(Decision.REUSE, SessionRefreshTokens.decide(older, 3, "c", null, previous.hash(), rotated,
                NOW.plusSeconds(60), null, EXPIRES, NOW, GRACE), "a hold covers the token rotated last only");
    }

    @Test
    void everyOtherGenuineTokenOfTheSessionIsAReplay() {
        Parsed old = TOKENS.parse(TOKENS.issue(SID, 1));
        assertEquals(Decision.REUSE, decide(old, 3, "c", null, "p", NOW.minusSeconds(1)), "two generations back");
        Parsed superseded = TOKENS.parse(TOKENS.issue(SID, 3));
        assertEquals(Decision.REUSE, decide(superseded, 3, "c", new String[] { "s" }, "p", NOW), "current generation, not stored");
        Parsed otherPrevious = TOKENS.parse(TOKENS.issue(SID, 2));
        assertEquals(Decision.REUSE, decide(otherPrevious, 3, "c", null, "p", NOW.minusSeconds(1)),
                "the previous generation, but not the token rotated last");
    }

    @Test
    void endedExpiredUnknownAndFutureGenerations() {
        Parsed token = TOKENS.parse(TOKENS.issue(SID, 0));
        assertEquals(Decision.ENDED, SessionRefreshTokens.decide(token, 0, token.hash(), null, null, null, null,
                NOW.minusSeconds(1), EXPIRES, NOW, GRACE));
        assertEquals(Decision.EXPIRED, SessionRefreshTokens.decide(token, 0, token.hash(), null, null, null, null,
                null, NOW, NOW, GRACE));
        assertEquals(Decision.UNKNOWN, decide(token, null, null, null, null, null), "no such session");
        assertEquals(Decision.UNKNOWN, decide(null, 0, token.hash(), null, null, null));
        Parsed ahead = TOKENS.parse(TOKENS.issue(SID, 4));
        assertEquals(Decision.UNKNOWN, decide(ahead, 3, "c", null, "p", NOW));
    }
}
