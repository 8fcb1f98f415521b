package dev.latchkey.apikey.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.latchkey.apikey.secret.KeyVerdict;
import dev.latchkey.apikey.secret.VerificationStatus;
import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;

/**
 * A stored key: everything but the key itself, of which only a keyed hash is kept (not in this record).
 *
 * @param start     the prefix and four random characters, e.g. {@code mao_key_3xQa}
 * @param lastFour  the key's last four characters (null for keys issued before they were kept)
 * @param rateLimit the key's own limit, or null (then the configured default applies)
 * @param scopes    free-form scopes carried into exchanged tokens ({@code scope} claim)
 * @param revokedAt when the key was revoked; in the future while a rotation grace runs
 */
public record ApiKey(UUID id, UUID organizationId, String name, String prefix, String start, String lastFour,
        Capability capability, ResourceScope resourceScope, RateLimit rateLimit, List<String> scopes, Creator createdBy,
        OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime revokedAt, OffsetDateTime lastUsedAt,
        UUID rotatedFrom, UUID rotatedTo, String hashScheme) {

    /** Who created a key. */
    public record Creator(Type type, String id) {

        public enum Type {
            USER,
            API_KEY,
            SERVICE;

            public String value() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            public static Type parse(String value) {
                return value == null ? null : switch (value) {
                    case "user" -> USER;
                    case "api_key" -> API_KEY;
                    case "service" -> SERVICE;
                    default -> null;
                };
            }
        }
    }

    public VerificationStatus status(Instant now) {
        return KeyVerdict.of(true, instant(revokedAt), instant(expiresAt), now);
    }

    /** When the key stops working: its expiry or the end of its rotation grace; null when never. */
    public Instant end() {
        return KeyVerdict.end(instant(revokedAt), instant(expiresAt));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
