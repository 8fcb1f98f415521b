package dev.latchkey.common.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

class StrictTextDeserializerTest {

    record Item(String label) {
    }

    record Request(String name, @JsonProperty("display_name") String displayName, List<String> scopes,
            String[] tags, Map<String, String> metadata, List<Item> items, @MultilineText(maxLength = 20) String note,
            @MultilineText List<String> lines, Object anything, JsonNode payload) {
    }

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(StrictTextCustomizer.module());

    static UnsafeTextException refused(String json) {
        return assertThrows(UnsafeTextException.class, () -> MAPPER.readValue(json, Request.class));
    }

    @Test
    void ordinaryTextIsReadAsBefore() throws Exception {
        Request request = MAPPER.readValue("""
                {"name":"Zürich \\ud83d\\ude80","scopes":["a","b"],"tags":["x"],"metadata":{"plan":"pro"},
                 "items":[{"label":"one"}],"note":"two\\nlines","lines":["a\\tb"],"display_name":null}
                """, Request.class);
        assertEquals("Zürich 🚀", request.name());
        assertEquals("two\nlines", request.note());
        assertEquals(null, request.displayName());
    }

    @Test
    void aNumberOrBooleanWhereTextIsExpectedIsAWrongType() {
        for (String value : new String[] { "7", "1e400", "true", "{}", "[\"a\"]" }) {
            MismatchedInputException e = assertThrows(MismatchedInputException.class,
                    () -> MAPPER.readValue("{\"name\":" + value + "}", Request.class), value);
            assertEquals("name", e.getPath().get(0).getFieldName());
        }
        assertThrows(MismatchedInputException.class, () -> MAPPER.readValue("{\"scopes\":[1]}", Request.class));
    }

    @Test
    void nulInAFieldIsRefusedWithItsJsonPath() {
        UnsafeTextException e = refused("{\"name\":\"a\\u0000b\"}");
        assertEquals(TextVerdict.CONTROL_CHARACTER, e.verdict());
        assertEquals("name", path(e));
        assertEquals("display_name", path(refused("{\"display_name\":\"a\\nb\"}")));
    }

    @Test
    void everyContainerOfStringsIsCheckedAndNamed() {
        assertEquals("scopes[1]", path(refused("{\"scopes\":[\"ok\",\"\\u0007\"]}")));
        assertEquals("tags[0]", path(refused("{\"tags\":[\"\\ud800\"]}")));
        assertEquals("metadata.plan", path(refused("{\"metadata\":{\"plan\":\"\\u001b[31m\"}}")));
        assertEquals("items[0].label", path(refused("{\"items\":[{\"label\":\"\\u0000\"}]}")));
        UnsafeTextException key = refused("{\"metadata\":{\"a\\u0000\":\"x\"}}");
        assertEquals(TextVerdict.CONTROL_CHARACTER, key.verdict());
        assertEquals("metadata.*", path(key), "a key that is not plain is not echoed");
    }

    @Test
    void unpairedSurrogatesAndOverlongValuesAreRefused() {
        assertEquals(TextVerdict.UNPAIRED_SURROGATE, refused("{\"name\":\"\\udc00\"}").verdict());
        String huge = "a".repeat(TextRules.MAX_SINGLE_LINE + 1);
        assertEquals(TextVerdict.TOO_LONG, refused("{\"name\":\"" + huge + "\"}").verdict());
    }

    @Test
    void multilineFieldsTakeLineBreaksUpToTheirOwnLimitButNeverNul() throws Exception {
        assertEquals(List.of("a\r\nb"), MAPPER.readValue("{\"lines\":[\"a\\r\\nb\"]}", Request.class).lines());
        assertEquals(TextVerdict.TOO_LONG, refused("{\"note\":\"" + "x".repeat(21) + "\"}").verdict());
        assertEquals(TextVerdict.CONTROL_CHARACTER, refused("{\"note\":\"\\u0000\"}").verdict());
    }

    /** A tree is how a service keeps third-party JSON (a webhook payload) exactly as it was sent. */
    @Test
    void treesAreLeftAsSent() throws Exception {
        Request request = MAPPER.readValue("{\"payload\":{\"commit\":\"fix\\n\\nbody\\u0000\"}}", Request.class);
        assertEquals("fix\n\nbody\u0000", request.payload().get("commit").asText());
        assertEquals("a\u0000", MAPPER.readTree("[\"a\\u0000\"]").get(0).asText());
    }

    @Test
    void untypedValuesAreCheckedLikeAnyOtherString() {
        assertEquals("anything.m", path(refused("{\"anything\":{\"m\":\"a\\u0000b\"}}")));
        assertEquals("anything[1]", path(refused("{\"anything\":[\"ok\",\"\\ud800\"]}")));
    }

    private static String path(UnsafeTextException e) {
        return e.jsonPath();
    }
}
