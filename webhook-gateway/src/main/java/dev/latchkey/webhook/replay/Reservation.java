package dev.latchkey.webhook.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import dev.latchkey.common.crypto.Secrets;

/**
 * A delivery id's reservation in Redis: key {@code latchkey:webhook:replay:<provider>:<sha256 of the id>}, value
 * the SHA-256 of the body, set with {@code SET key value NX GET EX ttl} in one atomic command. The id is hashed
 * so that a sender's 256-character id costs a fixed-size key; the body digest tells a retry (same body) from a
 * replay (same id, other body).
 *
 * @param ttl at least the timestamp window, so a delivery signed within the window cannot outlive its reservation
 */
public record Reservation(String key, String fingerprint, Duration ttl) {

    static final String PREFIX = "latchkey:webhook:replay:";

    public static Reservation of(UUID providerId, String deliveryId, byte[] body, Duration window, Duration ttl) {
        Duration effective = ttl.compareTo(window) < 0 ? window : ttl;
        String idHash = HexFormat.of().formatHex(Secrets.sha256(deliveryId.getBytes(StandardCharsets.UTF_8)));
        return new Reservation(PREFIX + providerId + ":" + idHash,
                Base64.getEncoder().withoutPadding().encodeToString(Secrets.sha256(body)), effective);
    }

    /**
     * Judges what {@code SET ... NX GET} returned: null when this call set the key, else the fingerprint the
     * earlier delivery left.
     */
    public ReplayOutcome judge(String previous) {
        if (previous == null) {
            return ReplayOutcome.FIRST;
        }
        return MessageDigest.isEqual(previous.getBytes(StandardCharsets.US_ASCII),
                fingerprint.getBytes(StandardCharsets.US_ASCII)) ? ReplayOutcome.DUPLICATE : ReplayOutcome.REPLAYED;
    }
}
