package dev.latchkey.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --timeout}: ISO-8601 ({@code PT5M}) or a number of seconds ({@code 300}); at least one second. */
public final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d;
        try {
            d = value.matches("[0-9]{1,9}") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value.toUpperCase());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration: use seconds (300) or ISO-8601 (PT5M)");
        }
        if (d.toSeconds() < 1) {
            throw new TypeConversionException("the timeout must be at least one second");
        }
        return d;
    }
}
