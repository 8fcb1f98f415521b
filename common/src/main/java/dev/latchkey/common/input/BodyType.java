package dev.latchkey.common.input;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The kinds of request body Latchkey reads as text, from a {@code Content-Type} header, and their charsets. */
public enum BodyType {
    JSON, FORM, OTHER;

    public static BodyType of(String contentType) {
        if (contentType == null) {
            return OTHER;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            return JSON;
        }
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            return FORM;
        }
        return OTHER;
    }

    /**
     * The charset a body of this type is read in, or null when {@code contentType} declares one that is not
     * supported. JSON is UTF-8 (RFC 8259), or its subset US-ASCII. A form body is ASCII by construction and
     * its escapes are UTF-8 as OAuth 2.0 requires (RFC 6749, appendix B); ISO-8859-1 is honoured too, because
     * common HTTP clients (Apache HttpClient, REST Assured) declare it by default. No charset means UTF-8.
     */
    public Charset charset(String contentType) {
        String declared = declaredCharset(contentType);
        if (declared == null) {
            return StandardCharsets.UTF_8;
        }
        Charset charset;
        try {
            charset = Charset.forName(declared);
        } catch (IllegalArgumentException unknownOrIllegal) {
            return null;
        }
        if (charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)) {
            return charset;
        }
        return this == FORM && charset.equals(StandardCharsets.ISO_8859_1) ? charset : null;
    }

    /** The charset parameter's value (unquoted), "" when it is empty or given twice, null when absent. */
    static String declaredCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String found = null;
        int semicolon = contentType.indexOf(';');
        while (semicolon >= 0) {
            int next = contentType.indexOf(';', semicolon + 1);
            String parameter = contentType.substring(semicolon + 1, next < 0 ? contentType.length() : next).trim();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                found = found == null ? value : "";
            }
            semicolon = next;
        }
        return found;
    }
}
