package dev.latchkey.tenant.service;

import java.util.UUID;

/** Ids from paths and tokens: anything that is not a UUID names nothing. */
public final class Ids {

    private Ids() {
    }

    /** The UUID, or null when {@code value} is not one. */
    public static UUID parse(String value) {
        if (value == null || value.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
