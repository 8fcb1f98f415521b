package dev.latchkey.common.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.input.InputProblem.Where;

class UrlEncodingTest {

    static InputProblem form(String body) {
        return UrlEncoding.checkForm(ByteBuffer.wrap(body.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.UTF_8);
    }

    @Test
    void ordinaryFormsQueriesAndPathsPass() {
        assertNull(form("grant_type=client_credentials&client_id=tenant-service&client_secret=s%2B3cr%3Dt"));
        assertNull(form("name=Z%C3%BCrich+%F0%9F%9A%80&empty=&flag&&"));
        assertNull(form(""));
        assertNull(UrlEncoding.checkQuery("a=1&a=2&b=%E2%82%AC"));
        assertNull(UrlEncoding.checkPath("/v1/organizations/6f1c%2F..%2F/x;y=z"));
        assertNull(UrlEncoding.checkPath("//"));
    }

    @Test
    void badPercentEncodingIsUndecodableAndNamesTheField() {
        assertEquals(InputProblem.undecodable(Where.FORM, "client_id"), form("client_id=%zz&x=1"));
        assertEquals(InputProblem.undecodable(Where.FORM, "client_secret"), form("client_secret=abc%"));
        assertEquals(InputProblem.undecodable(Where.FORM, "client_secret"), form("client_secret=abc%4"));
        assertEquals(InputProblem.undecodable(Where.QUERY, "q"), UrlEncoding.checkQuery("q=%G0"));
    }

    @Test
    void escapedBytesThatAreNotUtf8AreUndecodable() {
        assertEquals(InputProblem.undecodable(Where.FORM, "client_id"), form("client_id=%ff%fe"));
        assertEquals(InputProblem.undecodable(Where.FORM, "name"), form("name=%C0%AF"));
        assertEquals(InputProblem.undecodable(Where.FORM, "name"), form("name=%ED%A0%80"));
        assertEquals(InputProblem.undecodable(Where.PATH, null), UrlEncoding.checkPath("/v1/organizations/%ff"));
    }

    @Test
    void rawBytesOutsideAsciiAreUndecodable() {
        InputProblem raw = UrlEncoding.checkForm(ByteBuffer.wrap(new byte[] { 'a', '=', (byte) 0xC3, (byte) 0xA9 }),
                StandardCharsets.UTF_8);
        assertEquals(InputProblem.undecodable(Where.FORM, null), raw);
        assertEquals("The form body is not valid percent-encoded UTF-8", raw.message());
        assertEquals(InputProblem.undecodable(Where.PATH, null), UrlEncoding.checkPath("/v1/caf\u00e9"));
    }

    @Test
    void decodedControlCharactersAreRefusedByName() {
        InputProblem nul = form("grant_type=client_credentials&client_id=a%00b");
        assertEquals(InputProblem.text(Where.FORM, "client_id", TextVerdict.CONTROL_CHARACTER), nul);
        assertEquals("Field 'client_id' contains a control character", nul.message());
        assertEquals("Query parameter 'next' contains a control character",
                UrlEncoding.checkQuery("next=%0d%0aSet-Cookie:x").message());
        assertEquals("The request path contains a control character",
                UrlEncoding.checkPath("/v1/organizations/abc%00").message());
        assertEquals(TextVerdict.CONTROL_CHARACTER, form("a%0Ab=1").verdict());
    }

    @Test
    void namesThatAreNotPlainAreNotEchoed() {
        InputProblem problem = form("%3Cscript%3E=%00");
        assertNull(problem.name());
        assertEquals("A form field contains a control character", problem.message());
    }

    @Test
    void aFormDeclaredLatin1IsDecodedSoButStillRefusesC1Controls() {
        ByteBuffer latin1 = ByteBuffer.wrap("name=caf%E9".getBytes(StandardCharsets.US_ASCII));
        assertNull(UrlEncoding.checkForm(latin1, StandardCharsets.ISO_8859_1));
        ByteBuffer c1 = ByteBuffer.wrap("name=%85".getBytes(StandardCharsets.US_ASCII));
        assertEquals(TextVerdict.CONTROL_CHARACTER, UrlEncoding.checkForm(c1, StandardCharsets.ISO_8859_1).verdict());
    }

    @Test
    void moreFieldsThanAnyFormHasAreRefused() {
        InputProblem problem = form("a=1&".repeat(UrlEncoding.MAX_FIELDS + 1));
        assertEquals(true, problem.tooMany());
        assertEquals("The form has more than 256 fields", problem.message());
        assertNull(form("a=1&".repeat(UrlEncoding.MAX_FIELDS)));
    }

    @Test
    void fieldsAreHandedOverDecodedAndInOrder() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        assertNull(UrlEncoding.parseForm(ByteBuffer.wrap("b=2&a=%C3%A9+x&flag&=v".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.UTF_8, (name, value) -> seen.add(name + "=" + value)));
        assertEquals(java.util.List.of("b=2", "a=é x", "flag=", "=v"), seen);
    }

    @Test
    void tooLongValuesAreRefused() {
        assertEquals(TextVerdict.TOO_LONG, form("v=" + "a".repeat(TextRules.MAX_SINGLE_LINE + 1)).verdict());
    }
}
