package dev.latchkey.identity.password;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Email addresses as accounts are keyed: trimmed, the domain lower-cased and in ASCII (IDNA), the local part
 * lower-cased too. RFC 5321 lets the local part be case-sensitive, but no mainstream provider treats it so, and
 * two accounts differing only in case are an attack, not a feature. Plus-tags and dots are kept: they are real,
 * distinct mailboxes to the mail server.
 */
public final class EmailAddresses {

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private EmailAddresses() {
    }

    /** The normalised address, or null when {@code email} is not a plausible address. */
    public static String normalise(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = email.strip();
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1 || trimmed.length() > 254) {
            return null;
        }
        String local = trimmed.substring(0, at);
        String domain;
        try {
            domain = IDN.toASCII(trimmed.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")
                || !DOMAIN.matcher(domain).matches()) {
            return null;
        }
        return local.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** The domain of a normalised address. */
    public static String domain(String normalised) {
        return normalised.substring(normalised.lastIndexOf('@') + 1);
    }
}
