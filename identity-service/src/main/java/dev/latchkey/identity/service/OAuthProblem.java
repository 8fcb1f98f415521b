package dev.latchkey.identity.service;

import dev.latchkey.common.error.ApiException;

/**
 * An error of the OAuth endpoints (token, introspection, revocation): answered in RFC 6749 §5.2's shape,
 * {@code {"error": "invalid_grant", "error_description": ...}}, which every OAuth client library parses, with the
 * project's {@code code}, {@code message} and {@code request_id} beside it. {@code error} is one of the RFC's
 * codes; {@code code} may be more precise ({@code refresh_token_reused} for an {@code invalid_grant}).
 */
public class OAuthProblem extends ApiException {

    private final String error;

    public OAuthProblem(int status, String error, String code, String message) {
        super(status, code, message);
        this.error = error;
    }

    public OAuthProblem(int status, String error, String message) {
        this(status, error, error, message);
    }

    /** The RFC 6749 error code. */
    public String error() {
        return error;
    }

    public static OAuthProblem invalidRequest(String message) {
        return new OAuthProblem(400, "invalid_request", message);
    }

    public static OAuthProblem invalidGrant(String code, String message) {
        return new OAuthProblem(400, "invalid_grant", code, message);
    }

    /** RFC 8707 §2: a resource not registered for the client, not within the grant, or more than one. */
    public static OAuthProblem invalidTarget(String message) {
        return new OAuthProblem(400, "invalid_target", message);
    }

    public static OAuthProblem invalidClient() {
        return new OAuthProblem(401, "invalid_client", "Client authentication failed");
    }

    /** An {@link ApiException} of another part (a session refused, a dependency down) in the RFC shape. */
    public static OAuthProblem of(ApiException e, String error) {
        if (e instanceof OAuthProblem problem) {
            return problem;
        }
        // RFC 6749 §5.2: a refused grant (an ended session, a reused refresh token) is 400 invalid_grant; 401 is
        // for client authentication only.
        int status = e.status() == 401 && "invalid_grant".equals(error) ? 400 : e.status();
        OAuthProblem problem = new OAuthProblem(status, e.status() >= 500 ? "temporarily_unavailable" : error,
                e.code(), e.publicMessage());
        e.headers().forEach(problem::withHeader);
        return problem;
    }
}
