package dev.latchkey.common.error;

/** Error codes shared by every service. A service adds its own next to its resources. */
public final class ErrorCodes {
    public static final String AUTH_REQUIRED = "auth_required";
    public static final String ACCESS_DENIED = "access_denied";
    public static final String SCOPE_INSUFFICIENT = "scope_insufficient";
    public static final String NOT_FOUND = "not_found";
    public static final String VALIDATION_FAILED = "validation_failed";
    public static final String MALFORMED_JSON = "malformed_json";
    /** Bytes that do not decode: bad percent-encoding, not UTF-8, not ASCII where ASCII is required. */
    public static final String INVALID_ENCODING = "invalid_encoding";
    public static final String BAD_REQUEST = "bad_request";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String NOT_ACCEPTABLE = "not_acceptable";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String CONFLICT = "conflict";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String DEPENDENCY_UNAVAILABLE = "dependency_unavailable";
    public static final String INTERNAL_ERROR = "internal_error";

    private ErrorCodes() {
    }
}
