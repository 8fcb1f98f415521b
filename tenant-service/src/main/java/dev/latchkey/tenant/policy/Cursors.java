package dev.latchkey.tenant.policy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque paging cursors: the position after the last item of a page, base64url-encoded so that clients treat
 * it as a token. Anything that does not decode is refused (the caller answers 400), never guessed at.
 */
public final class Cursors {

    private Cursors() {
    }

    /** A position in a list ordered by time, then id. */
    public record TimeAndId(Instant time, UUID id) {
    }

    public static String ofId(long id) {
        return encode("i:" + id);
    }

    /** The id in a cursor made by {@link #ofId}; null if {@code cursor} is not one. */
    public static Long id(String cursor) {
        String raw = decode(cursor);
        if (raw == null || !raw.startsWith("i:")) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.substring(2));
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static String ofTimeAndId(Instant time, UUID id) {
        long micros = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
        return encode("t:" + micros + ":" + id);
    }

    /** The position in a cursor made by {@link #ofTimeAndId}; null if {@code cursor} is not one. */
    public static TimeAndId timeAndId(String cursor) {
        String raw = decode(cursor);
        if (raw == null || !raw.startsWith("t:")) {
            return null;
        }
        String[] parts = raw.split(":");
        if (parts.length != 3) {
            return null;
        }
        try {
            long micros = Long.parseLong(parts[1]);
            Instant time = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            return new TimeAndId(time, UUID.fromString(parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 200) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
