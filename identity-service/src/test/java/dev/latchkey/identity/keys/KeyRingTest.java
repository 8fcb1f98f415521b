package dev.latchkey.identity.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.latchkey.identity.keys.KeyRing.Entry;
import dev.latchkey.identity.keys.KeyRing.Plan;

class KeyRingTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration INTERVAL = Duration.ofDays(30);
    static final Duration LEAD = Duration.ofMinutes(65);
    static final Duration TTL = Duration.ofMinutes(16);

    static Plan plan(List<Entry> keys, Instant now) {
        return KeyRing.plan(keys, now, INTERVAL, LEAD, TTL);
    }

    @Test
    void aFirstStartMakesAKeyThatSignsAtOnce() {
        Plan plan = plan(List.of(), T0);
        assertEquals(T0, plan.createActivatingAt().orElseThrow());
    }

    @Test
    void nothingHappensInTheMiddleOfAKeysLife() {
        List<Entry> keys = List.of(new Entry("a", KeyStatus.ACTIVE, T0, null));
        assertTrue(plan(keys, T0.plus(Duration.ofDays(10))).empty());
    }

    @Test
    void theNextKeyIsCreatedOneLeadBeforeTheIntervalEnds() {
        List<Entry> keys = List.of(new Entry("a", KeyStatus.ACTIVE, T0, null));
        Instant due = T0.plus(INTERVAL).minus(LEAD);
        assertTrue(plan(keys, due.minusSeconds(1)).createActivatingAt().isEmpty());
        assertEquals(due.plus(LEAD), plan(keys, due).createActivatingAt().orElseThrow());
    }

    @Test
    void aWaitingKeyIsPublishedButDoesNotSign() {
        Instant now = T0.plus(Duration.ofDays(30));
        List<Entry> keys = List.of(new Entry("a", KeyStatus.ACTIVE, T0, null),
                new Entry("b", KeyStatus.PASSIVE, now.plus(Duration.ofMinutes(5)), null));
        assertEquals("a", KeyRing.signing(keys, now).orElseThrow().kid());
        Plan plan = plan(keys, now);
        assertTrue(plan.createActivatingAt().isEmpty(), "no second key while one waits");
        assertTrue(plan.changes().isEmpty(), plan.changes().toString());
    }

    @Test
    void onceTheNewKeyActivatesTheOldOneStaysPublishedUntilItsTokensExpireThenRetires() {
        Instant switchAt = T0.plus(Duration.ofDays(30));
        List<Entry> keys = List.of(new Entry("a", KeyStatus.ACTIVE, T0, null),
                new Entry("b", KeyStatus.PASSIVE, switchAt, null));
        assertEquals("b", KeyRing.signing(keys, switchAt).orElseThrow().kid());
        Plan plan = plan(keys, switchAt.plusSeconds(1));
        assertTrue(plan.changes().contains(new Entry("b", KeyStatus.ACTIVE, switchAt, null)), plan.changes().toString());
        assertTrue(plan.changes().contains(new Entry("a", KeyStatus.PASSIVE, T0, switchAt.plus(TTL))), plan.changes().toString());

        List<Entry> later = List.of(new Entry("a", KeyStatus.PASSIVE, T0, switchAt.plus(TTL)),
                new Entry("b", KeyStatus.ACTIVE, switchAt, null));
        assertTrue(plan(later, switchAt.plus(TTL).minusSeconds(1)).changes().isEmpty());
        assertEquals(List.of(new Entry("a", KeyStatus.RETIRED, T0, switchAt.plus(TTL))),
                plan(later, switchAt.plus(TTL)).changes());
    }

    @Test
    void retiredKeysNeverSign() {
        List<Entry> keys = List.of(new Entry("a", KeyStatus.RETIRED, T0, T0.plus(TTL)));
        assertTrue(KeyRing.signing(keys, T0.plus(Duration.ofDays(1))).isEmpty());
        assertTrue(plan(keys, T0.plus(Duration.ofDays(1))).createActivatingAt().isPresent());
    }

    @Test
    void scheduledRotationCanBeSwitchedOff() {
        List<Entry> keys = List.of(new Entry("a", KeyStatus.ACTIVE, T0, null));
        assertTrue(KeyRing.plan(keys, T0.plus(Duration.ofDays(400)), Duration.ZERO, LEAD, TTL).empty());
    }
}
