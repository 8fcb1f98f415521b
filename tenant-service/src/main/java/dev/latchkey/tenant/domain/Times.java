package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as PostgreSQL keeps them (microseconds), so that what an API answers equals what it reads later. */
public final class Times {

    private Times() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
