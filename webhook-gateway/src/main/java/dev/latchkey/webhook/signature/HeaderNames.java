package dev.latchkey.webhook.signature;

/** The headers a {@link Scheme#GENERIC} provider's sender uses. */
public record HeaderNames(String signature, String timestamp, String nonce) {

    public static final HeaderNames DEFAULT = new HeaderNames("X-Signature", "X-Timestamp", "X-Nonce");

    /** The given names, each falling back to the default when null or blank. */
    public static HeaderNames of(String signature, String timestamp, String nonce) {
        return new HeaderNames(orDefault(signature, DEFAULT.signature), orDefault(timestamp, DEFAULT.timestamp),
                orDefault(nonce, DEFAULT.nonce));
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
