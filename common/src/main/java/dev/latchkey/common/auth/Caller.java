package dev.latchkey.common.auth;

import dev.latchkey.common.error.ApiException;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling. {@link BearerTokenFilter} attaches the verified token to the request's routing context;
 * resources of {@code @BearerToken} endpoints take a {@code RoutingContext} parameter and ask here.
 */
public final class Caller {

    private static final String KEY = VerifiedToken.class.getName();

    private Caller() {
    }

    static void attach(RoutingContext routing, VerifiedToken token) {
        routing.put(KEY, token);
    }

    /** The caller's verified token, or null when the request carries none. */
    public static VerifiedToken token(RoutingContext routing) {
        return routing == null ? null : routing.get(KEY);
    }

    /** The caller's token; 401 {@code auth_required} when there is none. */
    public static VerifiedToken require(RoutingContext routing) {
        VerifiedToken token = token(routing);
        if (token == null) {
            throw ApiException.authRequired();
        }
        return token;
    }

    /**
     * Admits only another Latchkey service holding {@code scope}: 401 without a token, 403 for a tenant's
     * token or a service without that scope.
     */
    public static VerifiedToken requireService(VerifiedToken token, String scope) {
        if (token == null) {
            throw ApiException.authRequired();
        }
        if (!token.isService() || !token.scopes().contains(scope)) {
            throw ApiException.accessDenied("This endpoint is reserved for Latchkey services");
        }
        return token;
    }

    /**
     * Admits only a signed-in person (not an API key, not a service): 403 {@code access_denied} otherwise, for
     * endpoints about "me" such as sessions and switching organization.
     */
    public static VerifiedToken requireUser(RoutingContext routing) {
        VerifiedToken token = require(routing);
        if (token.kind() != VerifiedToken.Kind.USER) {
            throw ApiException.accessDenied("This endpoint is for signed-in people, not API keys or services");
        }
        return token;
    }

    public static VerifiedToken requireService(RoutingContext routing, String scope) {
        return requireService(token(routing), scope);
    }
}
