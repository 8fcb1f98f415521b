package dev.latchkey.common.error;

/**
 * A failure with a published code. The public message goes to the caller; the internal one, if any,
 * only to the log. Neither may contain a secret.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String publicMessage;
    private java.util.Map<String, String> headers = java.util.Map.of();

    public ApiException(int status, String code, String publicMessage) {
        this(status, code, publicMessage, null, null);
    }

    public ApiException(int status, String code, String publicMessage, String internalMessage, Throwable cause) {
        super(internalMessage == null ? publicMessage : publicMessage + " (" + internalMessage + ")", cause, false,
                false);
        this.status = status;
        this.code = code;
        this.publicMessage = publicMessage;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String publicMessage() {
        return publicMessage;
    }

    /** Response headers that go with this error (e.g. {@code Retry-After} on a 429). */
    public java.util.Map<String, String> headers() {
        return headers;
    }

    /** Adds a response header to this error's response. */
    public ApiException withHeader(String name, String value) {
        java.util.Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        headers = java.util.Collections.unmodifiableMap(copy);
        return this;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, ErrorCodes.NOT_FOUND, what + " not found");
    }

    public static ApiException validation(String message) {
        return new ApiException(400, ErrorCodes.VALIDATION_FAILED, message);
    }

    public static ApiException authRequired() {
        return new ApiException(401, ErrorCodes.AUTH_REQUIRED, "A valid bearer token is required");
    }

    public static ApiException accessDenied(String message) {
        return new ApiException(403, ErrorCodes.ACCESS_DENIED, message);
    }

    public static ApiException unavailable(String message, String internalMessage, Throwable cause) {
        return new ApiException(503, ErrorCodes.DEPENDENCY_UNAVAILABLE, message, internalMessage, cause);
    }
}
