package dev.latchkey.common.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;

/**
 * What {@link BearerTokenFilter} asks of a token issued to an OAuth client: a scope that opens the endpoint
 * ({@link ClientScope}), else 403 {@code scope_insufficient} with {@code WWW-Authenticate: Bearer
 * error="insufficient_scope"} (RFC 6750 §3.1). Only tokens with a client get here; each endpoint's answer is read
 * from its annotations once and kept.
 */
final class ClientScopeCheck {

    /** What an endpoint needs: the scope that opens it, or null and why none does. */
    private record Needed(String scope, String refusal) {
    }

    private static final String DEFAULT_REFUSAL = "This endpoint is not open to OAuth clients' tokens";

    /** By endpoint: RESTEasy Reactive makes one resource info per endpoint, at deployment. */
    private static final Map<ResteasyReactiveResourceInfo, Needed> NEEDED = new ConcurrentHashMap<>();

    private ClientScopeCheck() {
    }

    /** Refuses {@code token} (issued to a client) unless it holds the scope that opens the endpoint. */
    static void require(ResteasyReactiveContainerRequestContext request, VerifiedToken token) {
        ResteasyReactiveResourceInfo endpoint = request.getServerRequestContext().getResteasyReactiveResourceInfo();
        Needed needed = endpoint == null ? new Needed(null, DEFAULT_REFUSAL)
                : NEEDED.computeIfAbsent(endpoint, ClientScopeCheck::needed);
        if (needed.scope() != null && token.scopes().contains(needed.scope())) {
            return;
        }
        throw refusal(needed);
    }

    private static Needed needed(ResteasyReactiveResourceInfo endpoint) {
        ClientScope scope = endpoint.getResourceMethod().getAnnotation(ClientScope.class);
        NotForClients closed = endpoint.getResourceMethod().getAnnotation(NotForClients.class);
        if (scope == null && closed == null) {
            scope = endpoint.getResourceClass().getAnnotation(ClientScope.class);
            closed = endpoint.getResourceClass().getAnnotation(NotForClients.class);
        }
        if (scope != null) {
            return new Needed(scope.value(), null);
        }
        return new Needed(null, closed != null ? closed.value() : DEFAULT_REFUSAL);
    }

    private static ApiException refusal(Needed needed) {
        if (needed.scope() == null) {
            return new ApiException(403, ErrorCodes.SCOPE_INSUFFICIENT, needed.refusal())
                    .withHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
        }
        return new ApiException(403, ErrorCodes.SCOPE_INSUFFICIENT, "This token was issued to an OAuth client without"
                + " the scope '" + needed.scope() + "' this endpoint needs").withHeader("WWW-Authenticate",
                        "Bearer error=\"insufficient_scope\", scope=\"" + needed.scope() + "\"");
    }
}
