package dev.latchkey.common.input;

import java.io.CharConversionException;

/** A request body whose bytes do not decode in the charset it must be read in. Mapped to 400 {@code invalid_encoding}. */
public class UndecodableInputException extends CharConversionException {

    public UndecodableInputException(String message) {
        super(message);
    }
}
