package dev.latchkey.apikey.repository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of keys ended: the last key's creation time (to the microsecond, PostgreSQL's precision) and id.
 * Opaque to clients: base64url of {@code <epoch micros>:<id>}.
 */
public record PageCursor(OffsetDateTime createdAt, UUID id) {

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt.toInstant());
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor {@code value} encodes, or null when it is not one of ours. */
    public static PageCursor decode(String value) {
        if (value == null || value.length() > 100) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
            int colon = plain.indexOf(':');
            if (colon < 0) {
                return null;
            }
            long micros = Long.parseLong(plain.substring(0, colon));
            Instant at = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            return new PageCursor(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), UUID.fromString(plain.substring(colon + 1)));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }
}
