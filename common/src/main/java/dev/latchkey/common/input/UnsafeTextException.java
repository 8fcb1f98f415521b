package dev.latchkey.common.input;

import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON string that {@link TextRules} refuses, with the JSON path where the parser found it, which the error
 * mapper names in the 400 {@code validation_failed} response.
 */
public class UnsafeTextException extends MismatchedInputException {

    private final transient TextVerdict verdict;
    private final String jsonPath;

    public UnsafeTextException(JsonParser parser, TextVerdict verdict) {
        super(parser, "String value " + verdict.problem(), String.class);
        this.verdict = verdict;
        this.jsonPath = parser == null ? "" : jsonPath(parser.getParsingContext());
    }

    public TextVerdict verdict() {
        return verdict;
    }

    /** Where the string is, as the caller wrote it: {@code scopes[2]}, {@code metadata.plan}; "" at the top. */
    public String jsonPath() {
        return jsonPath;
    }

    /**
     * The path of where a parser is, as the caller wrote it. A name that is not short and plain (it is the
     * caller's input) is shown as {@code *}.
     */
    public static String jsonPath(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                parts.push("[" + Math.max(at.getCurrentIndex(), 0) + "]");
            } else if (at.inObject()) {
                String name = InputProblem.echoable(at.getCurrentName());
                parts.push("." + (name == null ? "*" : name));
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
