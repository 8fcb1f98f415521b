package dev.latchkey.common.input;

/** What {@link TextRules} says about one piece of text. */
public enum TextVerdict {
    ACCEPTABLE(null),
    /** NUL and the other C0 and C1 control characters, DEL, and line breaks where one line is expected. */
    CONTROL_CHARACTER("contains a control character"),
    /** Half of a UTF-16 surrogate pair: not a character, and not storable as UTF-8. */
    UNPAIRED_SURROGATE("contains an unpaired surrogate"),
    TOO_LONG("is too long");

    private final String problem;

    TextVerdict(String problem) {
        this.problem = problem;
    }

    public boolean acceptable() {
        return this == ACCEPTABLE;
    }

    /** For an error message: "Field 'name' " + problem(). Null when acceptable. */
    public String problem() {
        return problem;
    }
}
