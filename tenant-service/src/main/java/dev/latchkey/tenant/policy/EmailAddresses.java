package dev.latchkey.tenant.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * E-mail addresses as invitations match them: trimmed and lower-cased (the same normalisation identity-service
 * applies), so that "Ada@Example.com" accepts an invitation sent to "ada@example.com".
 */
public final class EmailAddresses {

    public static final int MAX_LENGTH = 254;
    /** Deliberately loose: one @, something on each side, a dot in the domain, no spaces or angle brackets. */
    private static final Pattern PLAUSIBLE = Pattern.compile("^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$");

    private EmailAddresses() {
    }

    public static String normalise(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    public static boolean plausible(String email) {
        return email != null && email.length() <= MAX_LENGTH && PLAUSIBLE.matcher(email).matches();
    }

    /** Whether {@code a} and {@code b} are the same address once normalised. */
    public static boolean same(String a, String b) {
        return a != null && b != null && normalise(a).equals(normalise(b));
    }
}
