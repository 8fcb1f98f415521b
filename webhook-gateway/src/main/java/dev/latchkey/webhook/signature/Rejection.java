package dev.latchkey.webhook.signature;

/** Why a delivery was refused; {@link #code()} is the published error code. */
public enum Rejection {
    MISSING_HEADER("missing_header"),
    MALFORMED_HEADER("malformed_header"),
    INVALID_SIGNATURE("invalid_signature"),
    TIMESTAMP_OUT_OF_WINDOW("timestamp_out_of_window");

    private final String code;

    Rejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
