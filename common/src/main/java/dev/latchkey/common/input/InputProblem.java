package dev.latchkey.common.input;

/**
 * Why a request's URL or form body was refused, in terms safe to show the caller.
 *
 * @param where   the part of the request
 * @param name    the parameter or field, or null when unknown or not plain enough to echo
 * @param verdict what is wrong with the decoded text; null when the bytes do not decode at all, or when
 *                there are too many fields
 * @param tooMany whether the form or query has more than {@link UrlEncoding#MAX_FIELDS} fields
 */
public record InputProblem(Where where, String name, TextVerdict verdict, boolean tooMany) {

    public enum Where {
        PATH, QUERY, FORM
    }

    static InputProblem undecodable(Where where, String name) {
        return new InputProblem(where, name, null, false);
    }

    static InputProblem text(Where where, String name, TextVerdict verdict) {
        return new InputProblem(where, name, verdict, false);
    }

    static InputProblem tooManyFields(Where where) {
        return new InputProblem(where, null, null, true);
    }

    /** Bytes that do not decode (bad percent-encoding, not UTF-8, not ASCII where ASCII is required). */
    public boolean undecodable() {
        return verdict == null && !tooMany;
    }

    public String message() {
        if (tooMany) {
            return where == Where.FORM ? "The form has more than " + UrlEncoding.MAX_FIELDS + " fields"
                    : "The query has more than " + UrlEncoding.MAX_FIELDS + " parameters";
        }
        if (undecodable()) {
            return switch (where) {
                case PATH, QUERY -> "The request URL is not valid percent-encoded UTF-8";
                case FORM -> name == null ? "The form body is not valid percent-encoded UTF-8"
                        : "Form field '" + name + "' is not valid percent-encoded UTF-8";
            };
        }
        return switch (where) {
            case PATH -> "The request path " + verdict.problem();
            case QUERY -> (name == null ? "A query parameter " : "Query parameter '" + name + "' ") + verdict.problem();
            case FORM -> (name == null ? "A form field " : "Field '" + name + "' ") + verdict.problem();
        };
    }

    /** A caller's field or parameter name, echoed only when it is short and plain. */
    public static String echoable(String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-' || c == '.' || c == '[' || c == ']';
            if (!plain) {
                return null;
            }
        }
        return name;
    }
}
