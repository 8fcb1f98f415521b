package dev.latchkey.apikey.secret;

import java.time.Instant;

/** Decides a stored key's status at a given instant. Revocation wins over expiry. */
public final class KeyVerdict {

    private KeyVerdict() {
    }

    public static VerificationStatus of(boolean found, Instant revokedAt, Instant expiresAt, Instant now) {
        if (!found) {
            return VerificationStatus.NOT_FOUND;
        }
        if (revokedAt != null && !revokedAt.isAfter(now)) {
            return VerificationStatus.REVOKED;
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return VerificationStatus.EXPIRED;
        }
        return VerificationStatus.VALID;
    }

    /**
     * When a valid key stops working: its expiry, or the end of its rotation grace (a revocation scheduled for
     * later), whichever comes first; null when neither is set. Caches and exchanged tokens never outlive it.
     */
    public static Instant end(Instant revokedAt, Instant expiresAt) {
        if (revokedAt == null) {
            return expiresAt;
        }
        return expiresAt == null || revokedAt.isBefore(expiresAt) ? revokedAt : expiresAt;
    }
}
