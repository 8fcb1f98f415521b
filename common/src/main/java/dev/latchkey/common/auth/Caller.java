package dev.latchkey.common.auth;

import java.security.Principal;

import jakarta.ws.rs.core.SecurityContext;

import dev.latchkey.common.error.ApiException;

/**
 * Who is calling, from the request's verified token. Resources take {@code @Context SecurityContext} and ask
 * here; the token was verified (or found in the verified-token cache) before the resource runs.
 */
public final class Caller {

    private Caller() {
    }

    /** The caller's verified token, or null when the request carries none. */
    public static VerifiedToken token(SecurityContext context) {
        return token(context == null ? null : context.getUserPrincipal());
    }

    public static VerifiedToken token(Principal principal) {
        return principal instanceof VerifiedToken verified ? verified : null;
    }

    /** The caller's token; 401 {@code auth_required} when there is none. */
    public static VerifiedToken require(SecurityContext context) {
        VerifiedToken token = token(context);
        if (token == null) {
            throw ApiException.authRequired();
        }
        return token;
    }

    /**
     * Admits only another Latchkey service holding {@code scope}: 401 without a token, 403 for a tenant's
     * token or a service without that scope.
     */
    public static VerifiedToken requireService(Principal principal, String scope) {
        VerifiedToken token = token(principal);
        if (token == null) {
            throw ApiException.authRequired();
        }
        if (!token.isService() || !token.scopes().contains(scope)) {
            throw ApiException.accessDenied("This endpoint is reserved for Latchkey services");
        }
        return token;
    }

    public static VerifiedToken requireService(SecurityContext context, String scope) {
        return requireService(context == null ? null : context.getUserPrincipal(), scope);
    }
}
