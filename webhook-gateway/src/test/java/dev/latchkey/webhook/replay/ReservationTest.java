package dev.latchkey.webhook.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ReservationTest {

    static final Duration WINDOW = Duration.ofMinutes(5);
    final UUID provider = UUID.randomUUID();

    Reservation of(String id, String body, Duration ttl) {
        return Reservation.of(provider, id, body.getBytes(StandardCharsets.UTF_8), WINDOW, ttl);
    }

    @Test
    void aFreshKeyIsTheFirstDelivery() {
        assertEquals(ReplayOutcome.FIRST, of("evt_1", "{}", Duration.ofHours(1)).judge(null));
    }

    @Test
    void theSameIdWithTheSameBodyIsADuplicate() {
        Reservation first = of("evt_1", "{\"a\":1}", Duration.ofHours(1));
        Reservation retry = of("evt_1", "{\"a\":1}", Duration.ofHours(1));
        assertEquals(first.key(), retry.key());
        assertEquals(ReplayOutcome.DUPLICATE, retry.judge(first.fingerprint()));
    }

    @Test
    void theSameIdWithAnotherBodyIsAReplay() {
        Reservation first = of("nonce-1", "{\"amount\":1}", Duration.ofHours(1));
        Reservation forged = of("nonce-1", "{\"amount\":1000}", Duration.ofHours(1));
        assertEquals(ReplayOutcome.REPLAYED, forged.judge(first.fingerprint()));
    }

    @Test
    void keysAreScopedByProviderAndBoundedInLength() {
        Reservation here = of("x".repeat(256), "{}", Duration.ofHours(1));
        Reservation elsewhere = Reservation.of(UUID.randomUUID(), "x".repeat(256), new byte[0], WINDOW, Duration.ofHours(1));
        assertNotEquals(here.key(), elsewhere.key());
        assertTrue(here.key().length() < 130, here.key());
        assertTrue(here.key().startsWith("latchkey:webhook:replay:" + provider + ":"));
    }

    @Test
    void theTtlIsNeverShorterThanTheWindow() {
        assertEquals(WINDOW, of("a", "{}", Duration.ofSeconds(10)).ttl());
        assertEquals(Duration.ofDays(1), of("a", "{}", Duration.ofDays(1)).ttl());
    }
}
