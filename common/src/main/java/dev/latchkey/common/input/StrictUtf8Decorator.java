package dev.latchkey.common.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;

/**
 * Makes Jackson refuse JSON that is not well-formed UTF-8 (RFC 8259 allows nothing else). Jackson's own
 * decoding is lenient: it reads an overlong {@code C0 AF} as '/', code points above U+10FFFF as garbage, and
 * detects UTF-16 and UTF-32 on its own; a raw NUL byte, which UTF-8 JSON never contains, is refused too, and
 * with it UTF-16 and UTF-32. Installed on the ObjectMapper's factory, so it sees every JSON body
 * every endpoint reads, over HTTP/1.1 and HTTP/2 alike.
 * <p>
 * Cost: a body the REST layer hands over whole (the usual case) is checked in one pass with no allocation;
 * a streamed body is checked piece by piece as Jackson reads it.
 */
final class StrictUtf8Decorator extends InputDecorator {

    static final String MESSAGE = "The request body is not well-formed UTF-8";

    @Override
    public InputStream decorate(IOContext context, InputStream in) {
        return new Checked(in);
    }

    @Override
    public InputStream decorate(IOContext context, byte[] source, int offset, int length) throws IOException {
        Utf8.Checker checker = new Utf8.Checker(false);
        if (!checker.update(source, offset, length) || !checker.complete()) {
            throw new UndecodableInputException(MESSAGE);
        }
        return null; // Jackson reads the array itself
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return reader; // already characters
    }

    private static final class Checked extends FilterInputStream {
        private final Utf8.Checker checker = new Utf8.Checker(false);

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read < 0 ? !checker.complete() : !checker.update(buffer, offset, read)) {
                throw new UndecodableInputException(MESSAGE);
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported");
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
