package dev.latchkey.cli;

/**
 * The exit codes of every command, part of the CLI's interface (documented in the README and in {@code --help}):
 * scripts branch on them, so a code never changes meaning.
 */
public final class Exit {

    /** Done. */
    public static final int OK = 0;
    /** Something unexpected: an answer the CLI cannot use, a file it cannot write. */
    public static final int ERROR = 1;
    /** Wrong options or arguments (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** No credentials: run {@code latchkey login}. */
    public static final int NOT_LOGGED_IN = 3;
    /** The server cannot be reached, does not answer in time, or says a service is unavailable. */
    public static final int UNREACHABLE = 4;
    /** Denied: the person clicked Deny, or the server refuses this account or organization. */
    public static final int DENIED = 5;
    /** Nobody completed the sign-in in time (5 minutes by default), or the device code expired. */
    public static final int TIMED_OUT = 6;
    /** The stored key no longer works: revoked (e.g. in the console or by another logout), expired or unknown. */
    public static final int KEY_INVALID = 7;
    /** The sign-in answer failed a check (wrong state or issuer, code refused as expired or reused): nothing kept. */
    public static final int REFUSED = 8;

    private Exit() {
    }

    /** The table shown at the end of every command's {@code --help}. */
    public static final String HELP = """
            Exit codes:
              0  done
              1  unexpected error
              2  wrong usage
              3  not logged in (no credentials)
              4  server unreachable, not answering, or unavailable
              5  denied (in the browser, or by the server)
              6  timed out (no sign-in within the time allowed; device code expired)
              7  the stored key no longer works (revoked, expired, unknown)
              8  sign-in answer refused by a security check
                 (state, issuer, code expired or reused)""";
}
