package dev.latchkey.cli;

/**
 * A failure the user is told about: an exit code ({@link Exit}), a stable machine-readable code for
 * {@code --output json}, and a message for people that says what to do next. Never carries a secret.
 */
public class CliException extends RuntimeException {

    private final int exitCode;
    private final String code;

    public CliException(int exitCode, String code, String message) {
        super(message);
        this.exitCode = exitCode;
        this.code = code;
    }

    public int exitCode() {
        return exitCode;
    }

    public String code() {
        return code;
    }

    public static CliException notLoggedIn() {
        return new CliException(Exit.NOT_LOGGED_IN, "not_logged_in", "Not logged in: run `latchkey login` first.");
    }
}
