package dev.latchkey.webhook.signature;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the top-level {@code id} and {@code type} of a JSON body (Stripe events, Standard Webhooks payloads)
 * with a streaming parser: nested objects are skipped, parsing stops once both are found, and nothing is
 * re-serialised: the stored body stays the bytes as received.
 */
final class PayloadFields {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_FIELD = 256;

    record Fields(String id, String type) {
    }

    private PayloadFields() {
    }

    static Fields read(byte[] body) {
        String id = null;
        String type = null;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Fields(null, null);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING && "id".equals(name) && id == null) {
                    id = bounded(parser.getText());
                } else if (value == JsonToken.VALUE_STRING && "type".equals(name) && type == null) {
                    type = bounded(parser.getText());
                } else {
                    parser.skipChildren();
                }
                if (id != null && type != null) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON, or broken after the fields we found: the signature, not the shape, decides acceptance.
        }
        return new Fields(id, type);
    }

    private static String bounded(String value) {
        return value == null || value.isEmpty() || value.length() > MAX_FIELD ? null : value;
    }
}
