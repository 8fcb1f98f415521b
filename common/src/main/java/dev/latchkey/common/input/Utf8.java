package dev.latchkey.common.input;

import java.nio.ByteBuffer;

/**
 * Strict UTF-8 well-formedness (Unicode 15, table 3-7; RFC 3629): no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF, no truncated sequences.
 * <p>
 * Request bodies are checked with this before they are parsed because Jackson's own UTF-8 decoding is
 * lenient: it turns an overlong {@code C0 AF} into '/' and code points above U+10FFFF into garbage instead
 * of refusing them. Cost: one pass over the bytes, no allocation; ASCII takes one comparison per byte.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** Whether the bytes between {@code buffer}'s position and limit are well-formed UTF-8. */
    public static boolean isWellFormed(ByteBuffer buffer) {
        int i = buffer.position();
        int end = buffer.limit();
        while (i < end) {
            int b = buffer.get(i) & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                if (b == 0xE0) {
                    min = 0xA0;
                } else if (b == 0xED) {
                    max = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                if (b == 0xF0) {
                    min = 0x90;
                } else if (b == 0xF4) {
                    max = 0x8F;
                }
            } else {
                return false;
            }
            if (i + need >= end) {
                return false;
            }
            int second = buffer.get(i + 1) & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                int next = buffer.get(i + k) & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }

    public static boolean isWellFormed(byte[] bytes) {
        return isWellFormed(ByteBuffer.wrap(bytes));
    }

    /**
     * The same check over bytes that arrive in pieces (a request body read from the network): a sequence may
     * be split between two pieces. Not thread-safe; one per stream.
     */
    public static final class Checker {
        private final boolean nulAllowed;
        /** Continuation bytes still expected by the current sequence. */
        private int pending;
        /** Bounds of the next continuation byte: narrower than 80..BF right after E0, ED, F0 and F4. */
        private int min = 0x80;
        private int max = 0xBF;

        public Checker() {
            this(true);
        }

        /**
         * @param nulAllowed false for JSON, where a raw NUL byte is never valid (in a string it must be escaped):
         *                   refusing it also refuses UTF-16 and UTF-32 text, which Jackson would otherwise detect
         *                   and read
         */
        public Checker(boolean nulAllowed) {
            this.nulAllowed = nulAllowed;
        }

        /** False as soon as the bytes so far cannot begin well-formed UTF-8. */
        public boolean update(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                int b = bytes[i] & 0xFF;
                if (pending == 0) {
                    if (b < 0x80) {
                        if (b == 0 && !nulAllowed) {
                            return false;
                        }
                        continue;
                    }
                    if (b >= 0xC2 && b <= 0xDF) {
                        pending = 1;
                    } else if (b >= 0xE0 && b <= 0xEF) {
                        pending = 2;
                        min = b == 0xE0 ? 0xA0 : 0x80;
                        max = b == 0xED ? 0x9F : 0xBF;
                    } else if (b >= 0xF0 && b <= 0xF4) {
                        pending = 3;
                        min = b == 0xF0 ? 0x90 : 0x80;
                        max = b == 0xF4 ? 0x8F : 0xBF;
                    } else {
                        return false;
                    }
                } else {
                    if (b < min || b > max) {
                        return false;
                    }
                    pending--;
                    min = 0x80;
                    max = 0xBF;
                }
            }
            return true;
        }

        /** Whether the bytes so far end on a character boundary (call at the end of the input). */
        public boolean complete() {
            return pending == 0;
        }
    }
}
