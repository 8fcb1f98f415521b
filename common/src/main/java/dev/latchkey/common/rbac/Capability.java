package dev.latchkey.common.rbac;

/** What an API key may do: read only, or read and change. */
public enum Capability {
    READ,
    READ_WRITE;

    /** {@code read} or {@code read_write}, as in JSON and tokens. */
    public String value() {
        return this == READ ? "read" : "read_write";
    }

    /** The capability named {@code value}, or null for anything else. */
    public static Capability parse(String value) {
        if ("read".equals(value)) {
            return READ;
        }
        if ("read_write".equals(value)) {
            return READ_WRITE;
        }
        return null;
    }
}
