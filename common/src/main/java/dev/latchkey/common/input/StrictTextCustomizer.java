package dev.latchkey.common.input;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Installs {@link StrictTextDeserializer}, {@link StrictUtf8Decorator} and duplicate-key detection in the one
 * ObjectMapper of every Latchkey service, so that every endpoint, present and future, refuses unsafe text and
 * ambiguous JSON without a line of code of its own.
 */
@Singleton
public class StrictTextCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(module());
        mapper.getFactory().setInputDecorator(new StrictUtf8Decorator());
        // {"api_key":"a","api_key":"b"} is ambiguous (one parser takes the first, another the last: a known way to
        // slip a value past a check), and a record bound from it fails inside Jackson with a 500.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The string rules alone, also for plain ObjectMappers outside Quarkus (tests). */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("latchkey-strict-text");
        module.addDeserializer(String.class, StrictTextDeserializer.SINGLE_LINE);
        module.addKeyDeserializer(String.class, new StrictTextDeserializer.Keys());
        return module;
    }
}
