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
}
