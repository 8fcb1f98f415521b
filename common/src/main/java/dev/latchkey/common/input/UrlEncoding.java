package dev.latchkey.common.input;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

import dev.latchkey.common.input.InputProblem.Where;

/**
 * Strict checks of the percent-encoded parts of a request: the path, the query string and
 * {@code application/x-www-form-urlencoded} bodies. They must be ASCII (as RFC 3986 and the URL standard's
 * serializer produce them); every escape must be {@code %} and two hex digits; the escaped bytes must be
 * well-formed UTF-8 (or, for a form declared so, ISO-8859-1); and the decoded text must pass
 * {@link TextRules#singleLine}.
 * <p>
 * The REST layer decodes these leniently (an undecodable byte becomes U+FFFD) or fails with an unexpected
 * exception, so they are checked here first. Cost: one pass over the characters; a component without
 * {@code %} or {@code +} is checked in place, without decoding or allocating.
 */
public final class UrlEncoding {

    /** More fields than any Latchkey form or query has; the REST layer's own limit fails with a 500. */
    public static final int MAX_FIELDS = 256;

    private UrlEncoding() {
    }

    /** The first problem in a raw request path (before any decoding), or null. */
    public static InputProblem checkPath(CharSequence rawPath) {
        int start = 0;
        int length = rawPath.length();
        for (int i = 0; i <= length; i++) {
            if (i == length || rawPath.charAt(i) == '/') {
                if (i > start) {
                    InputProblem problem = checkComponent(rawPath, start, i, false, Where.PATH, null,
                            StandardCharsets.UTF_8);
                    if (problem != null) {
                        return problem;
                    }
                }
                start = i + 1;
            }
        }
        return null;
    }

    /** The first problem in a raw query string (without the '?'), or null. */
    public static InputProblem checkQuery(CharSequence rawQuery) {
        return checkPairs(rawQuery, Where.QUERY);
    }

    /** The first problem in a form body whose escapes are in {@code charset}, or null. The bytes must be ASCII. */
    public static InputProblem checkForm(ByteBuffer body, Charset charset) {
        return parseForm(body, charset, (name, value) -> {
        });
    }

    /**
     * Checks a form body as {@link #checkForm} does and hands each decoded field to {@code fields}, in order, as
     * long as there is no problem. A field without '=' has the value "".
     */
    public static InputProblem parseForm(ByteBuffer body, Charset charset, BiConsumer<String, String> fields) {
        for (int i = body.position(); i < body.limit(); i++) {
            if (body.get(i) < 0) {
                return InputProblem.undecodable(Where.FORM, null);
            }
        }
        return pairs(StandardCharsets.ISO_8859_1.decode(body.duplicate()), Where.FORM, charset, fields);
    }

    private static InputProblem checkPairs(CharSequence raw, Where where) {
        return pairs(raw, where, StandardCharsets.UTF_8, (name, value) -> {
        });
    }

    private static InputProblem pairs(CharSequence raw, Where where, Charset charset, BiConsumer<String, String> fields) {
        int length = raw.length();
        int start = 0;
        int count = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || raw.charAt(i) == '&') {
                if (i > start) {
                    if (++count > MAX_FIELDS) {
                        return InputProblem.tooManyFields(where);
                    }
                    int equals = start;
                    while (equals < i && raw.charAt(equals) != '=') {
                        equals++;
                    }
                    String name = decode(raw, start, equals, true, charset);
                    if (name == null) {
                        return InputProblem.undecodable(where, null);
                    }
                    String echoed = InputProblem.echoable(name);
                    TextVerdict nameVerdict = TextRules.singleLine(name);
                    if (!nameVerdict.acceptable()) {
                        return InputProblem.text(where, echoed, nameVerdict);
                    }
                    String value = "";
                    if (equals < i) {
                        value = decode(raw, equals + 1, i, true, charset);
                        if (value == null) {
                            return InputProblem.undecodable(where, echoed);
                        }
                        TextVerdict verdict = TextRules.singleLine(value);
                        if (!verdict.acceptable()) {
                            return InputProblem.text(where, echoed, verdict);
                        }
                    }
                    fields.accept(name, value);
                }
                start = i + 1;
            }
        }
        return null;
    }

    private static InputProblem checkComponent(CharSequence raw, int from, int to, boolean plusIsSpace, Where where,
            String name, Charset charset) {
        String decoded = decode(raw, from, to, plusIsSpace, charset);
        if (decoded == null) {
            return InputProblem.undecodable(where, name);
        }
        TextVerdict verdict = TextRules.singleLine(decoded);
        return verdict.acceptable() ? null : InputProblem.text(where, name, verdict);
    }

    /**
     * Decodes {@code raw[from, to)}: percent escapes to bytes, then strictly in {@code charset}. Null when the
     * characters are not ASCII, an escape is malformed or the bytes do not decode.
     */
    static String decode(CharSequence raw, int from, int to, boolean plusIsSpace, Charset charset) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (c == '%' || (plusIsSpace && c == '+')) {
                plain = false;
            }
        }
        if (plain) {
            return raw.subSequence(from, to).toString();
        }
        ByteBuffer bytes = ByteBuffer.allocate(to - from);
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.put((byte) ((high << 4) | low));
                i += 2;
            } else if (plusIsSpace && c == '+') {
                bytes.put((byte) ' ');
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
