package dev.latchkey.identity.oauth;

import java.time.Instant;
import java.util.Set;

/**
 * What an authorization request says about asking the person (OpenID Connect Core §3.1.2.1): {@code prompt=none}
 * (show no page; what would need one goes back to the client as an error, §3.1.2.6), {@code prompt=login} (sign in
 * again) and {@code max_age} (a sign-in older than that many seconds counts as none). Other prompt values
 * ({@code consent}, {@code select_account}) change nothing here: consent is asked every time unless the client
 * skips it, and the organization picker is shown whenever there is a choice.
 */
public record Prompt(boolean none, boolean login, Long maxAgeSeconds) {

    private static final Prompt DEFAULT = new Prompt(false, false, null);

    /** Why {@code prompt}/{@code max_age} are refused (invalid_request), or null when they are fine. */
    public static String refusal(String prompt, String maxAge) {
        Set<String> values = values(prompt);
        if (values.contains("none") && values.size() > 1) {
            return "prompt=none cannot be combined with other prompt values";
        }
        if (maxAge != null && seconds(maxAge) == null) {
            return "max_age must be a whole number of seconds";
        }
        return null;
    }

    /** The request's prompt; call {@link #refusal} first. */
    public static Prompt of(String prompt, String maxAge) {
        if (prompt == null && maxAge == null) {
            return DEFAULT;
        }
        Set<String> values = values(prompt);
        return new Prompt(values.contains("none"), values.contains("login"), maxAge == null ? null : seconds(maxAge));
    }

    /** Whether a sign-in at {@code authTime} is too old to be used without signing in again. */
    public boolean tooOld(Instant authTime, Instant now) {
        return maxAgeSeconds != null && authTime.plusSeconds(maxAgeSeconds).isBefore(now);
    }

    private static Set<String> values(String prompt) {
        return prompt == null || prompt.isBlank() ? Set.of() : Set.copyOf(java.util.List.of(prompt.strip().split(" +")));
    }

    private static Long seconds(String value) {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(value);
    }
}
