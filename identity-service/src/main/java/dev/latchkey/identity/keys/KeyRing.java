package dev.latchkey.identity.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules of signing-key rotation, as a pure function of the stored keys and the clock, so that every
 * identity instance reading the same rows signs with the same key without talking to the others:
 * <ul>
 * <li>the signing key is the newest key whose {@code activatesAt} has passed;</li>
 * <li>a new key is created {@code publishLead} before it activates, so verifiers have fetched it before it
 *     signs anything (published as PASSIVE meanwhile);</li>
 * <li>a key that stopped signing stays published (PASSIVE) until {@code maxTokenTtl} after it stopped, when the
 *     last token it signed has expired, then becomes RETIRED (never published again).</li>
 * </ul>
 */
public final class KeyRing {

    /** A stored key as the rules see it. */
    public record Entry(String kid, KeyStatus status, Instant activatesAt, Instant retiresAt) {
    }

    /** What the database should become: status changes and whether to make a new key (activating when). */
    public record Plan(List<Entry> changes, Optional<Instant> createActivatingAt) {
        public boolean empty() {
            return changes.isEmpty() && createActivatingAt.isEmpty();
        }
    }

    private KeyRing() {
    }

    /** The key that signs at {@code now}: the newest activated, non-retired key. */
    public static Optional<Entry> signing(List<Entry> keys, Instant now) {
        return keys.stream()
                .filter(k -> k.status() != KeyStatus.RETIRED && !k.activatesAt().isAfter(now))
                .max(Comparator.comparing(Entry::activatesAt).thenComparing(Entry::kid));
    }

    /**
     * @param interval    how long a key signs before the next takes over (zero: no scheduled rotation)
     * @param publishLead how long a new key is published before it signs
     * @param maxTokenTtl the longest lifetime of a token signed by these keys, clock skew included
     */
    public static Plan plan(List<Entry> keys, Instant now, Duration interval, Duration publishLead, Duration maxTokenTtl) {
        List<Entry> changes = new ArrayList<>();
        Optional<Entry> signing = signing(keys, now);
        if (signing.isEmpty()) {
            // First start (or every key retired): a key that signs at once.
            return new Plan(List.of(), Optional.of(now));
        }
        Entry current = signing.get();
        for (Entry key : keys) {
            if (key.status() == KeyStatus.RETIRED) {
                continue;
            }
            if (key.kid().equals(current.kid())) {
                if (key.status() != KeyStatus.ACTIVE || key.retiresAt() != null) {
                    changes.add(new Entry(key.kid(), KeyStatus.ACTIVE, key.activatesAt(), null));
                }
            } else if (!key.activatesAt().isAfter(now)) {
                // Signed before the current key took over: keep it verifiable until its tokens have expired.
                Instant retires = key.retiresAt() != null ? key.retiresAt() : stoppedSigning(keys, key).plus(maxTokenTtl);
                if (!retires.isAfter(now)) {
                    changes.add(new Entry(key.kid(), KeyStatus.RETIRED, key.activatesAt(), retires));
                } else if (key.status() != KeyStatus.PASSIVE || !retires.equals(key.retiresAt())) {
                    changes.add(new Entry(key.kid(), KeyStatus.PASSIVE, key.activatesAt(), retires));
                }
            } else if (key.status() != KeyStatus.PASSIVE) {
                // Not active yet: published, not signing.
                changes.add(new Entry(key.kid(), KeyStatus.PASSIVE, key.activatesAt(), null));
            }
        }
        boolean pending = keys.stream().anyMatch(k -> k.status() != KeyStatus.RETIRED && k.activatesAt().isAfter(now));
        Optional<Instant> create = Optional.empty();
        if (!pending && !interval.isZero() && !interval.isNegative()
                && !current.activatesAt().plus(interval).minus(publishLead).isAfter(now)) {
            create = Optional.of(now.plus(publishLead));
        }
        return new Plan(changes, create);
    }

    /** When {@code key} stopped signing: when the next key after it activated. */
    private static Instant stoppedSigning(List<Entry> keys, Entry key) {
        return keys.stream().map(Entry::activatesAt).filter(at -> at.isAfter(key.activatesAt()))
                .min(Comparator.naturalOrder()).orElse(key.activatesAt());
    }
}
