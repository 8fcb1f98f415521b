package dev.latchkey.common.auth;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.latchkey.common.error.ApiException;

/**
 * Reads who is calling from a verified token. Scopes arrive as the token's groups
 * ({@code smallrye.jwt.path.groups=scope}).
 */
public final class Caller {

    private Caller() {
    }

    public static boolean isAuthenticated(JsonWebToken jwt) {
        return jwt != null && jwt.getRawToken() != null;
    }

    public static boolean isService(JsonWebToken jwt) {
        return isAuthenticated(jwt) && Scopes.TOKEN_USE_SERVICE.equals(jwt.getClaim(Scopes.TOKEN_USE_CLAIM));
    }

    public static String tenantId(JsonWebToken jwt) {
        Object value = jwt.getClaim(Scopes.TENANT_ID_CLAIM);
        return value == null ? null : value.toString();
    }

    public static Set<String> scopes(JsonWebToken jwt) {
        return jwt.getGroups() == null ? Set.of() : jwt.getGroups();
    }

    /**
     * Admits only another Latchkey service holding {@code scope}: 401 without a token, 403 for a tenant's
     * token or a service without that scope.
     */
    public static void requireService(JsonWebToken jwt, String scope) {
        if (!isAuthenticated(jwt)) {
            throw ApiException.authRequired();
        }
        if (!isService(jwt) || !scopes(jwt).contains(scope)) {
            throw ApiException.accessDenied("This endpoint is reserved for Latchkey services");
        }
    }
}
