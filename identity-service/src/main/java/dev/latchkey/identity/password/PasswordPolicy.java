package dev.latchkey.identity.password;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;

/**
 * What a new password must be: at least {@code minLength} characters (12 by default, NIST SP 800-63B counts
 * characters, not classes), at most 256, not on a list of common or breached passwords, and not guessable
 * from the account's own email or name. The list is a file read at start-up, never a network call: by default
 * the 30,000 most common passwords that zxcvbn (Dropbox's estimator, in zxcvbn4j) ships, plus any file the
 * operator adds. zxcvbn's score catches what a list cannot ("correcthorse1234" passes a list).
 */
public final class PasswordPolicy {

    public static final int MAX_LENGTH = 256;

    private final int minLength;
    private final Set<String> denied;
    private final int minScore;
    private final Zxcvbn zxcvbn = new Zxcvbn();

    /**
     * @param minLength minimum length in characters (code points)
     * @param denied    lower-cased passwords that are refused outright
     * @param minScore  zxcvbn score (0-4) a password must reach; 0 turns the estimate off
     */
    public PasswordPolicy(int minLength, Set<String> denied, int minScore) {
        this.minLength = minLength;
        this.denied = Set.copyOf(denied);
        this.minScore = minScore;
    }

    /** The first reason {@code password} is refused, for the user to read; null when it is acceptable. */
    public String refusal(String password, String email, String name) {
        if (password == null) {
            return "'password' is required";
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            return "'password' must be at least " + minLength + " characters long";
        }
        if (length > MAX_LENGTH) {
            return "'password' must be at most " + MAX_LENGTH + " characters long";
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (denied.contains(lower)) {
            return "'password' is on a list of common or breached passwords; choose another";
        }
        String local = email == null ? "" : email.toLowerCase(Locale.ROOT).split("@", 2)[0];
        if (local.length() >= 4 && lower.contains(local)) {
            return "'password' must not contain your email address";
        }
        if (minScore > 0) {
            List<String> personal = name == null ? List.of(local) : List.of(local, name.toLowerCase(Locale.ROOT));
            Strength strength = zxcvbn.measure(password.length() > 100 ? password.substring(0, 100) : password, personal);
            if (strength.getScore() < minScore) {
                String warning = strength.getFeedback().getWarning();
                return "'password' is too easy to guess" + (warning == null || warning.isBlank() ? "" : ": " + warning)
                        + "; a longer phrase of unrelated words works well";
            }
        }
        return null;
    }
}
