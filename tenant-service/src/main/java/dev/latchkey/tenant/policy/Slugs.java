package dev.latchkey.tenant.policy;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.latchkey.common.crypto.Secrets;

/**
 * Organization slugs: lower-case letters, digits and inner hyphens, 1 to 48 characters (the same rule as the
 * database's check constraint), made from the name at creation and changeable later.
 */
public final class Slugs {

    public static final int MAX_LENGTH = 48;
    private static final Pattern VALID = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9]+");
    private static final int BASE_LENGTH = 40;

    private Slugs() {
    }

    public static boolean valid(String slug) {
        return slug != null && VALID.matcher(slug).matches();
    }

    /** "Ächt Cool GmbH!" → "acht-cool-gmbh"; a name with no letter or digit gives "org". */
    public static String fromName(String name) {
        String ascii = MARKS.matcher(Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFKD)).replaceAll("");
        String slug = NOT_ALLOWED.matcher(ascii.toLowerCase(Locale.ROOT)).replaceAll("-");
        slug = trimHyphens(slug);
        if (slug.length() > BASE_LENGTH) {
            slug = trimHyphens(slug.substring(0, BASE_LENGTH));
        }
        return slug.isEmpty() ? "org" : slug;
    }

    /** {@code base} with a random suffix, for when {@code base} is taken: "acme" → "acme-k3x9q2". */
    public static String withRandomSuffix(String base) {
        String suffix = Secrets.randomBase62(6).toLowerCase(Locale.ROOT);
        String trimmed = base.length() > BASE_LENGTH ? trimHyphens(base.substring(0, BASE_LENGTH)) : base;
        return trimmed + "-" + suffix;
    }

    private static String trimHyphens(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == '-') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == '-') {
            end--;
        }
        return value.substring(start, end);
    }
}
