package dev.latchkey.webhook.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A provider's signing secret as stored: sealed with AES-256-GCM, never in clear. */
public record ProviderSecret(UUID id, UUID providerId, byte[] sealed, OffsetDateTime createdAt, OffsetDateTime expiresAt) {

    /** The associated data the secret is sealed with: it binds the ciphertext to this row. */
    public static String associatedData(UUID providerId, UUID secretId) {
        return "webhook-secret/" + providerId + "/" + secretId;
    }

    public boolean activeAt(OffsetDateTime now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    @Override
    public String toString() {
        return "ProviderSecret[id=" + id + ", providerId=" + providerId + ", expiresAt=" + expiresAt + "]";
    }
}
