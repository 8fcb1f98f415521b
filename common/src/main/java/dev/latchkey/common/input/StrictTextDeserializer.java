package dev.latchkey.common.input;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Replaces Jackson's {@code String} deserializer: every string read into a Java value (a field, an element
 * of a list, array or map, a map key, a string inside an untyped {@code Object} or {@code Map}) passes
 * {@link TextRules}, single-line unless the property carries {@link MultilineText}. Only trees
 * ({@code JsonNode}, {@code readTree}) are left alone: they are how a service holds third-party JSON (a
 * webhook payload) that it must keep exactly as it was sent.
 * <p>
 * Only a JSON string is text: a number or boolean where text is expected is a wrong type (400), not
 * silently turned into "123" or "true" as Jackson does by default.
 * <p>
 * Cost per string: one pass over the characters.
 */
public final class StrictTextDeserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {

    static final StrictTextDeserializer SINGLE_LINE = new StrictTextDeserializer(false, TextRules.MAX_SINGLE_LINE);

    private final boolean multiline;
    private final int maxLength;

    private StrictTextDeserializer(boolean multiline, int maxLength) {
        super(String.class);
        this.multiline = multiline;
        this.maxLength = maxLength;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
        MultilineText multilineText = property == null ? null : property.getAnnotation(MultilineText.class);
        return multilineText == null ? SINGLE_LINE : new StrictTextDeserializer(true, multilineText.maxLength());
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            // Jackson would turn 123, true or 1e400 into the text "123", "true", "1e400": a wrong type is a 400.
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
        String value = parser.getText();
        if (value != null) {
            TextVerdict verdict = TextRules.check(value, multiline, maxLength);
            if (!verdict.acceptable()) {
                throw new UnsafeTextException(parser, verdict);
            }
        }
        return value;
    }

    @Override
    public LogicalType logicalType() {
        return LogicalType.Textual;
    }

    @Override
    public boolean isCachable() {
        return true;
    }

    /** Map keys are single-line text too. */
    static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            TextVerdict verdict = TextRules.singleLine(key);
            if (!verdict.acceptable()) {
                throw new UnsafeTextException(context.getParser(), verdict);
            }
            return key;
        }
    }
}
