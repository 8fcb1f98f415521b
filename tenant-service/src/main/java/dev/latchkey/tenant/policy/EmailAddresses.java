package dev.latchkey.tenant.policy;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * E-mail addresses as invitations match them, normalised exactly as identity-service keys accounts (its
 * {@code password/EmailAddresses}): trimmed, the local part lower-cased, the domain in ASCII (IDNA) and
 * lower-cased. So "Ada@Example.com" accepts an invitation sent to "ada@example.com", and an invitation to
 * {@code someone@bücher.example} matches the person identity knows as {@code someone@xn--bcher-kva.example}.
 */
public final class EmailAddresses {

    public static final int MAX_LENGTH = 254;
    /** Deliberately loose: one @, something on each side, a dot in the domain, no spaces or angle brackets. */
    private static final Pattern PLAUSIBLE = Pattern.compile("^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$");

    private EmailAddresses() {
    }

    /**
     * The address as identity-service stores it. A domain IDNA cannot convert is only trimmed and lower-cased:
     * identity refuses such an address, so nobody signed in can hold it, and an invitation to it never matches.
     */
    public static String normalise(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = email.strip();
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            return trimmed.toLowerCase(Locale.ROOT);
        }
        String domain;
        try {
            domain = IDN.toASCII(trimmed.substring(at + 1), IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            domain = trimmed.substring(at + 1);
        }
        return trimmed.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain.toLowerCase(Locale.ROOT);
    }

    public static boolean plausible(String email) {
        return email != null && email.length() <= MAX_LENGTH && PLAUSIBLE.matcher(email).matches();
    }

    /** Whether {@code a} and {@code b} are the same address once normalised. */
    public static boolean same(String a, String b) {
        return a != null && b != null && normalise(a).equals(normalise(b));
    }
}
