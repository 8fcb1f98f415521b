package dev.latchkey.common.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A per-key request limit: {@code perMinute} requests a minute on average, up to {@code burst} at once.
 *
 * @param perMinute sustained rate; 0 or less means no limit
 * @param burst     how many requests may arrive at once (at least 1)
 */
public record RateLimit(@JsonProperty("per_minute") int perMinute, int burst) {

    public boolean limited() {
        return perMinute > 0;
    }
}
