package dev.latchkey.cli;

import picocli.CommandLine.Option;

/** {@code -o/--output text|json}, mixed into every command. */
public final class Output {

    public enum Format {
        text, json
    }

    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (for people, the default) or json (one object on stdout, for scripts; errors as "
                    + "{\"error\":{\"code\",\"message\",\"exit_code\"}} on stderr). Valid values: ${COMPLETION-CANDIDATES}.")
    Format format = Format.text;

    public boolean json() {
        return format == Format.json;
    }
}
