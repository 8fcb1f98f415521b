package dev.latchkey.common.input;

/**
 * The text every Latchkey service accepts, in JSON strings and in URL, path and form parameters alike.
 * <p>
 * Text must be storable and comparable without surprises: PostgreSQL refuses NUL in text, an unpaired
 * surrogate cannot be encoded as UTF-8 (drivers silently turn it into '?'), and control characters forge
 * log lines and headers or make two names that look equal differ. So, everywhere:
 * <ul>
 * <li>never: U+0000-U+001F except as below, U+007F, U+0080-U+009F, unpaired surrogates;</li>
 * <li>single-line text (the default): also no tab, line feed, carriage return, U+2028 or U+2029, and at most
 * {@value #MAX_SINGLE_LINE} characters;</li>
 * <li>multi-line text (a field marked {@link MultilineText}): tab, line feed, carriage return, U+2028 and
 * U+2029 are allowed, up to {@value #MAX_MULTILINE} characters unless the field says otherwise.</li>
 * </ul>
 * Everything else (any language, emoji, bidirectional marks, zero-width characters) is accepted; a field's
 * own validation ({@code @Size}, {@code @Pattern}) narrows it further.
 * <p>
 * Cost: one pass over the characters, no allocation; it runs on every string of every request body.
 */
public final class TextRules {

    /** Longest single-line value accepted anywhere; a field's own {@code @Size} is usually far smaller. */
    public static final int MAX_SINGLE_LINE = 8_192;
    /** Longest multi-line value accepted unless the field sets its own limit. */
    public static final int MAX_MULTILINE = 65_536;

    private TextRules() {
    }

    public static TextVerdict singleLine(CharSequence text) {
        return check(text, false, MAX_SINGLE_LINE);
    }

    public static TextVerdict check(CharSequence text, boolean multiline, int maxLength) {
        int length = text.length();
        if (length > maxLength) {
            return TextVerdict.TOO_LONG;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                continue;
            }
            if (c < 0x20) {
                if (!multiline || (c != '\t' && c != '\n' && c != '\r')) {
                    return TextVerdict.CONTROL_CHARACTER;
                }
            } else if (c <= 0x9F) {
                return TextVerdict.CONTROL_CHARACTER;
            } else if (c == '\u2028' || c == '\u2029') {
                if (!multiline) {
                    return TextVerdict.CONTROL_CHARACTER;
                }
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return TextVerdict.UNPAIRED_SURROGATE;
                }
            } else if (Character.isLowSurrogate(c)) {
                return TextVerdict.UNPAIRED_SURROGATE;
            }
        }
        return TextVerdict.ACCEPTABLE;
    }
}
