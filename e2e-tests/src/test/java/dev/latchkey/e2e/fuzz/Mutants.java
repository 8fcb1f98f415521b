package dev.latchkey.e2e.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The catalogue of odd inputs, by where they go. Every entry is a class of input seen in the wild or in
 * advisories: wrong types, empty and huge values, NUL and other control characters, unpaired surrogates and
 * other Unicode edge cases, bytes that are not UTF-8, deep nesting, injection payloads, encoding tricks.
 * Nothing here may contain "Exception", "java." or a package name: responses are searched for those.
 */
final class Mutants {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Mutants() {
    }

    /** A labelled piece of a request, in the bytes it is sent as. */
    record Mutant(String label, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Raw JSON values to put in place of one field. */
    static final List<Mutant> JSON_VALUES = jsonValues();
    /** The classes every run puts in a field of every operation, first: NUL and the rest of issue 5. */
    static final List<Mutant> CORE_JSON_VALUES = JSON_VALUES.stream().filter(m -> List.of("NUL", "raw 0xFF in a string",
            "high surrogate alone", "ANSI escape", "overlong '/'", "9000 chars", "number", "nested 1500 deep")
            .contains(m.label())).toList();
    /** Raw JSON documents that are broken, or not UTF-8. */
    static final List<Mutant> BROKEN_JSON = brokenJson();
    /** Raw, already percent-encoded form values (some deliberately not). */
    static final List<Mutant> FORM_VALUES = formValues();
    /** Bad URL encoding, bytes that are not UTF-8 and NUL: every run puts them in a form field first. */
    static final List<Mutant> CORE_FORM_VALUES = FORM_VALUES.stream().filter(m -> List.of("form value %zz",
            "form value x%", "form value %ff%fe", "raw 0xFF", "form value %00", "form value %c0%af").contains(m.label()))
            .toList();
    static {
        if (CORE_JSON_VALUES.size() != 8 || CORE_FORM_VALUES.size() != 6) {
            throw new IllegalStateException("a core mutant was renamed: " + CORE_JSON_VALUES + CORE_FORM_VALUES);
        }
    }

    /** Path parameter values as they appear on the wire. */
    static final List<String> PATH_VALUES = pathValues();
    /** Query strings (without '?') to add. */
    static final List<String> QUERIES = queries();
    /** Content-Type header values; null means no header. */
    static final List<String> CONTENT_TYPES = java.util.Arrays.asList(null, "", "text/plain", "application/xml",
            "multipart/form-data", "multipart/form-data; boundary=fuzz", "application/json; charset=latin1",
            "application/json; charset=bogus", "application/json; charset=utf-16", "application/json; charset=",
            "application/json; charset=\"utf-8\"", "application/json;;;", "application/json; charset=utf-8; charset=latin1",
            "*/*", "application/*", "application/jsonx", "Application/JSON", "application/problem+json",
            "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=bogus",
            "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/json, text/plain", "text/html; q=1",
            "application/octet-stream", "json", "/", ";", "application/json; \u00e9=\u00e9", "x".repeat(300));
    static final List<String> ACCEPTS = List.of("text/html", "application/xml", "*/*;q=0", "application/json;q=0",
            "text/*", "image/png", "application/json, */*", "garbage", "", ";;;", "a".repeat(2000), "application/*+xml");
    static final List<String> CONTENT_ENCODINGS = List.of("gzip", "br", "deflate", "identity", "fuzz", "gzip, gzip");

    static String json(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Mutant ascii(String label, String raw) {
        return new Mutant(label, raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Mutant utf8(String label, String raw) {
        return new Mutant(label, raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Mutant bytes(String label, int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int value : values) {
            out.write(value);
        }
        return new Mutant(label, out.toByteArray());
    }

    private static Mutant string(String label, String text) {
        return utf8(label, json(text));
    }

    private static List<Mutant> jsonValues() {
        List<Mutant> values = new ArrayList<>();
        values.add(ascii("number", "123"));
        values.add(ascii("negative number", "-1"));
        values.add(ascii("zero", "0"));
        values.add(ascii("exponent beyond double", "1e400"));
        values.add(ascii("negative zero", "-0"));
        values.add(ascii("fraction", "1.5"));
        values.add(ascii("beyond long", "9223372036854775808"));
        values.add(ascii("500 digits", "1" + "0".repeat(500)));
        values.add(ascii("2000 digits", "9".repeat(2000)));
        values.add(ascii("true", "true"));
        values.add(ascii("null", "null"));
        values.add(ascii("empty object", "{}"));
        values.add(ascii("empty array", "[]"));
        values.add(ascii("array of numbers", "[1,2]"));
        values.add(ascii("array of strings", "[\"a\",\"b\"]"));
        values.add(ascii("nested object", "{\"a\":{\"b\":[1,{\"c\":null}]}}"));
        values.add(ascii("nested 60 deep", "[".repeat(60) + "]".repeat(60)));
        values.add(ascii("nested 1500 deep", "[".repeat(1500) + "]".repeat(1500)));
        values.add(ascii("objects nested 300 deep", "{\"a\":".repeat(300) + "1" + "}".repeat(300)));
        values.add(ascii("10000 elements", "[" + "1,".repeat(9999) + "1]"));
        values.add(string("empty string", ""));
        values.add(string("blank", "   "));
        values.add(string("300 chars", "a".repeat(300)));
        values.add(string("9000 chars", "a".repeat(9000)));
        values.add(string("100000 chars", "b".repeat(100_000)));
        values.add(ascii("NUL", "\"a\\u0000b\""));
        values.add(ascii("only NUL", "\"\\u0000\""));
        values.add(ascii("BEL", "\"\\u0007\""));
        values.add(ascii("ANSI escape", "\"\\u001b[31mred\\u001b[0m\""));
        values.add(ascii("newline", "\"a\\nb\""));
        values.add(ascii("CRLF and a header", "\"a\\r\\nX-Injected: 1\""));
        values.add(ascii("tab", "\"a\\tb\""));
        values.add(ascii("DEL", "\"a\\u007fb\""));
        values.add(ascii("C1 next line", "\"a\\u0085b\""));
        values.add(ascii("line separator", "\"a\\u2028b\""));
        values.add(ascii("high surrogate alone", "\"a\\ud800b\""));
        values.add(ascii("low surrogate alone", "\"\\udc00\""));
        values.add(ascii("surrogates reversed", "\"\\ude80\\ud83d\""));
        values.add(ascii("surrogate at the end", "\"abc\\ud83d\""));
        values.add(ascii("escaped emoji", "\"\\ud83d\\ude80\""));
        values.add(utf8("emoji", "\"🚀 launch\""));
        values.add(utf8("right-to-left override", "\"\u202Eevil\""));
        values.add(utf8("combining accent", "\"e\u0301\""));
        values.add(utf8("byte order mark", "\"\uFEFFbom\""));
        values.add(utf8("noncharacter", "\"\uFFFF\""));
        values.add(utf8("replacement character", "\"\uFFFD\""));
        values.add(utf8("CJK", "\"東京\""));
        values.add(utf8("zero width space", "\"a\u200Bb\""));
        values.add(utf8("last code point", "\"\uDBFF\uDFFF\""));
        values.add(bytes("raw 0xFF in a string", '"', 'a', 0xFF, 'b', '"'));
        values.add(bytes("overlong '/'", '"', 0xC0, 0xAF, '"'));
        values.add(bytes("encoded surrogate", '"', 0xED, 0xA0, 0x80, '"'));
        values.add(bytes("above U+10FFFF", '"', 0xF4, 0x90, 0x80, 0x80, '"'));
        values.add(bytes("truncated sequence", '"', 0xE2, 0x82, '"'));
        values.add(bytes("Latin-1 e-acute", '"', 'c', 'a', 'f', 0xE9, '"'));
        values.add(bytes("raw control byte in a string", '"', 'a', 0x01, 'b', '"'));
        values.add(bytes("raw NUL byte in a string", '"', 'a', 0x00, 'b', '"'));
        values.add(string("far-future instant", "+999999999-12-31T23:59:59Z"));
        values.add(string("year zero", "0000-01-01T00:00:00Z"));
        values.add(string("impossible date", "2026-13-45T99:99:99Z"));
        values.add(string("epoch", "1970-01-01T00:00:00Z"));
        values.add(string("year 9999", "9999-12-31T23:59:59Z"));
        values.add(string("far-past instant", "-999999999-01-01T00:00:00Z"));
        values.add(string("date without zone", "2030-01-01T00:00:00"));
        values.add(string("offset beyond 18 hours", "2030-01-01T00:00:00+25:00"));
        values.add(string("nil UUID", "00000000-0000-0000-0000-000000000000"));
        values.add(string("max UUID", "ffffffff-ffff-ffff-ffff-ffffffffffff"));
        values.add(string("not a UUID", "not-a-uuid"));
        values.add(string("UUID in braces", "{6f1c2d3e-0000-4000-8000-000000000000}"));
        values.add(string("SQL", "' OR '1'='1' --"));
        values.add(string("path traversal", "../../../etc/passwd"));
        values.add(string("JNDI lookup", "${jndi:ldap://127.0.0.1:1/a}"));
        values.add(string("HTML", "<script>alert(1)</script>"));
        values.add(string("percent escapes", "%00%ff%zz"));
        values.add(string("quotes and backslashes", "\"\\'`"));
        values.add(string("API key shape", "lk_" + "A".repeat(43)));
        values.add(string("JWT shape", "eyJhbGciOiJub25lIn0.e30."));
        values.add(string("wildcard scope", "*"));
        values.add(string("internal scope", "internal:apikeys.create"));
        values.add(string("format string", "%s%s%n%x"));
        return List.copyOf(values);
    }

    private static List<Mutant> brokenJson() {
        List<Mutant> values = new ArrayList<>();
        values.add(ascii("empty body", ""));
        values.add(ascii("whitespace only", "   \n "));
        values.add(ascii("open brace", "{"));
        values.add(ascii("close brace", "}"));
        values.add(ascii("missing value", "{\"a\":}"));
        values.add(ascii("missing colon", "{\"a\" 1}"));
        values.add(ascii("trailing comma", "{\"a\":1,}"));
        values.add(ascii("single quotes", "{'a':'b'}"));
        values.add(ascii("unquoted key", "{a:1}"));
        values.add(ascii("comment", "{/* x */\"a\":1}"));
        values.add(ascii("NaN", "{\"a\":NaN}"));
        values.add(ascii("Infinity", "{\"a\":-Infinity}"));
        values.add(ascii("leading zero", "{\"a\":01}"));
        values.add(ascii("bad escape", "{\"a\":\"\\x41\"}"));
        values.add(ascii("short unicode escape", "{\"a\":\"\\u12\"}"));
        values.add(ascii("unterminated string", "{\"a\":\"abc"));
        values.add(ascii("two documents", "{}{}"));
        values.add(ascii("trailing garbage", "{} garbage"));
        values.add(ascii("null", "null"));
        values.add(ascii("top-level string", "\"just a string\""));
        values.add(ascii("top-level number", "42"));
        values.add(ascii("top-level array", "[{}]"));
        values.add(ascii("5000 open brackets", "[".repeat(5000)));
        values.add(ascii("objects nested 2000 deep", "{\"a\":".repeat(2000) + "1" + "}".repeat(2000)));
        values.add(ascii("duplicate keys", "{\"a\":1,\"a\":2}"));
        values.add(ascii("raw NUL between tokens", "{\u0000}"));
        values.add(ascii("raw control in a string", "{\"a\":\"\u0001\"}"));
        values.add(bytes("UTF-8 byte order mark then {}", 0xEF, 0xBB, 0xBF, '{', '}'));
        values.add(new Mutant("UTF-16 with BOM", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16)));
        values.add(new Mutant("UTF-16LE without BOM", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)));
        values.add(new Mutant("UTF-32", "{\"name\":\"x\"}".getBytes(java.nio.charset.Charset.forName("UTF-32"))));
        values.add(bytes("lone continuation byte", '{', 0x80, '}'));
        values.add(bytes("0xFF 0xFE", 0xFF, 0xFE));
        values.add(ascii("XML", "<?xml version=\"1.0\"?><a/>"));
        values.add(ascii("form", "a=1&b=2"));
        values.add(ascii("1 MB of spaces then {}", " ".repeat(1_100_000) + "{}"));
        return List.copyOf(values);
    }

    private static List<Mutant> formValues() {
        List<Mutant> values = new ArrayList<>();
        for (String raw : List.of("%zz", "x%", "%f", "%", "%%", "%ff%fe", "%c0%af", "%ed%a0%80", "%f4%90%80%80", "%e2%82",
                "%00", "a%00b", "%0a", "%0d%0aX-Injected:%201", "%7f", "%c2%85", "%e2%80%a8", "+", "%2B", "",
                "%E2%82%AC", "%F0%9F%9A%80", "%3D%26", "%25", "%u0041", "${jndi:ldap://127.0.0.1:1/a}", "'%20OR%201=1",
                "a".repeat(300), "a".repeat(9000), "%41".repeat(3000))) {
            values.add(ascii("form value " + Printable.of(raw, 40), raw));
        }
        values.add(bytes("raw 0xFF", 'a', 0xFF));
        values.add(bytes("raw UTF-8 e-acute", 'c', 'a', 'f', 0xC3, 0xA9));
        values.add(bytes("raw NUL byte", 'a', 0x00, 'b'));
        values.add(bytes("raw tab", 'a', 0x09, 'b'));
        values.add(ascii("raw space", "a b"));
        return List.copyOf(values);
    }

    private static List<String> pathValues() {
        return List.of("..", ".", "%2e%2e", "%2E", "..%2f..%2f..%2fq%2fhealth", "%2F", "%2f%2f", "%5C..%5C", "%00",
                "abc%00", "%ff", "%c0%af", "%ed%a0%80", "%0a", "%0d%0a", "%7f", "%c2%85", "%20", "%25", "%2525",
                "%E6%9D%B1%E4%BA%AC", "%F0%9F%9A%80", ";x=y", "a;b", "%3B", "%3F", "%23", "", "0", "-1", "1e9",
                "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "x".repeat(3000),
                "%zz", "a%", "a b", "{id}", "%7Bid%7D", "\u00e9", "*", "~", "$(id)", "%27%20OR%20%271%27=%271");
    }

    private static List<String> queries() {
        return List.of("fuzz=1", "a=1&a=2&a=3", "a=%00", "a=%ff", "a=%0a", "a=%c0%af", "a=" + "q".repeat(3000),
                "&&&=&", "=", "a", "a=", "a[]=1&a[]=2", "a=1;b=2", "_method=DELETE", "format=xml", "callback=x",
                "a=%E2%82%AC", "a=" + "1&a=".repeat(299) + "1", "%zz=1", "a=%", "a=%2", "a=b=c", "a=%2B+%20", "%00=1",
                "q=" + "%41".repeat(1000));
    }

    /** Authorization header values, given the valid tokens and the API key; null means no header. */
    static List<String> authorizations(Fixture fixture) {
        String valid = fixture.accessToken();
        String[] parts = valid.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String flipped = valid.substring(0, valid.length() - 2) + (valid.endsWith("A") ? "BB" : "AA");
        String algNone = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        String otherTenant = parts[0] + "." + b64.encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8).replace(fixture.organizationId(), "00000000-0000-0000-0000-000000000000")
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        Base64.Encoder basic = Base64.getEncoder();
        return java.util.Arrays.asList(null, "", "Bearer", "Bearer ", "Bearer  " + valid, "bearer " + valid,
                "BEARER " + valid, "Bearer " + valid + " extra", "Bearer a.b.c", "Bearer ....", "Bearer " + parts[0],
                "Bearer " + parts[0] + "." + parts[1], "Bearer " + flipped, "Bearer " + algNone, "Bearer " + otherTenant,
                "Bearer " + "x".repeat(4000), "Bearer " + "e".repeat(7000), "Bearer %00", "Bearer \u00e9\u00e9",
                "Bearer " + fixture.apiKey(), "Basic", "Basic !!!",
                "Basic " + basic.encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
                "Basic " + basic.encodeToString(":".getBytes(StandardCharsets.UTF_8)),
                "Basic " + basic.encodeToString(new byte[] { (byte) 0xFF, (byte) 0xFE, ':', (byte) 0xFF }),
                "Basic " + basic.encodeToString("tenant-service:wrong".getBytes(StandardCharsets.UTF_8)),
                "Digest username=\"x\"", "Negotiate abc", "Bearer a\u0001b", "Bearer " + "x".repeat(9000));
    }

    /** X-API-Key header values; null means no header. */
    static List<String> apiKeys(Fixture fixture) {
        String key = fixture.apiKey();
        return java.util.Arrays.asList(null, "", "lk_", "lk_" + "A".repeat(43), key, key + "x", key.toUpperCase(),
                key.substring(0, key.length() - 1), "x".repeat(5000), "\u00e9\u00e9", "Bearer " + key, " " + key,
                fixture.accessToken(), "lk_%00");
    }
}
