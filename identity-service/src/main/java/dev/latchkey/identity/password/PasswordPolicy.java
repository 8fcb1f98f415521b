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

    /** Why a password is refused: the rule, its figure (a length) where it has one, and zxcvbn's warning. */
    public enum Reason {
        REQUIRED, TOO_SHORT, TOO_LONG, DENIED, CONTAINS_EMAIL, TOO_GUESSABLE
    }

    /** A refusal, with its English text for the API ({@link #message()}); pages translate it by {@link #reason()}. */
    public record Refusal(Reason reason, int limit, String warning) {
        public String message() {
            return switch (reason) {
                case REQUIRED -> "'password' is required";
                case TOO_SHORT -> "'password' must be at least " + limit + " characters long";
                case TOO_LONG -> "'password' must be at most " + limit + " characters long";
                case DENIED -> "'password' is on a list of common or breached passwords; choose another";
                case CONTAINS_EMAIL -> "'password' must not contain your email address";
                case TOO_GUESSABLE -> "'password' is too easy to guess" + (warning == null || warning.isBlank() ? ""
                        : ": " + warning) + "; a longer phrase of unrelated words works well";
            };
        }
    }

    /** The first reason {@code password} is refused, for the user to read; null when it is acceptable. */
    public String refusal(String password, String email, String name) {
        Refusal refusal = check(password, email, name);
        return refusal == null ? null : refusal.message();
    }

    /** The first rule {@code password} breaks; null when it is acceptable. */
    public Refusal check(String password, String email, String name) {
        if (password == null) {
            return new Refusal(Reason.REQUIRED, 0, null);
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            return new Refusal(Reason.TOO_SHORT, minLength, null);
        }
        if (length > MAX_LENGTH) {
            return new Refusal(Reason.TOO_LONG, MAX_LENGTH, null);
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (denied.contains(lower)) {
            return new Refusal(Reason.DENIED, 0, null);
        }
        String local = email == null ? "" : email.toLowerCase(Locale.ROOT).split("@", 2)[0];
        if (local.length() >= 4 && lower.contains(local)) {
            return new Refusal(Reason.CONTAINS_EMAIL, 0, null);
        }
        if (minScore > 0) {
            List<String> personal = name == null ? List.of(local) : List.of(local, name.toLowerCase(Locale.ROOT));
            Strength strength = zxcvbn.measure(password.length() > 100 ? password.substring(0, 100) : password, personal);
            if (strength.getScore() < minScore) {
                return new Refusal(Reason.TOO_GUESSABLE, 0, strength.getFeedback().getWarning());
            }
        }
        return null;
    }
}
