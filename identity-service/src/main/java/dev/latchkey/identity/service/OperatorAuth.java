package dev.latchkey.identity.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.Revocations;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.TokenVerifier;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may call operator endpoints ({@code /v1/admin/*}): a service token carrying {@code internal:admin} (the
 * {@code operator} client's, by client credentials), or, when enabled, HTTP Basic with the operator client's id
 * and secret, as m9m offers. Basic sends the secret with every request, so it is accepted only over TLS or from
 * loopback, never in clear text across a network; it is off by default.
 */
@ApplicationScoped
public class OperatorAuth {

    private final TokenVerifier verifier;
    private final ServiceTokens clients;
    private final Revocations revocations;
    private final boolean basicEnabled;

    public OperatorAuth(TokenVerifier verifier, ServiceTokens clients, Revocations revocations, IdentityConfig config) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.clients = clients;
        this.basicEnabled = config.basicAuth().enabled();
    }

    public Uni<Void> require(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (!basicEnabled) {
                return Uni.createFrom().failure(new ApiException(401, "auth_required",
                        "HTTP Basic authentication is not enabled; use an operator token"));
            }
            if (!request.isSSL() && !loopback(request)) {
                return Uni.createFrom().failure(new ApiException(403, "insecure_transport",
                        "HTTP Basic authentication is accepted only over TLS or from this host"));
            }
            String[] pair = decode(authorization.substring(6).trim());
            if (pair == null || !clients.clientHolds(pair[0], pair[1], Scopes.ADMIN)) {
                return Uni.createFrom().failure(ApiException.authRequired());
            }
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> TokenVerifier.bearer(authorization))
                .flatMap(verifier::verify)
                .invoke(token -> Caller.requireService(token, Scopes.ADMIN))
                .call(this::notRevoked)
                .replaceWithVoid();
    }

    /** An operator token revoked at /v1/oauth/revoke is refused here as at every bearer endpoint. */
    private Uni<Void> notRevoked(VerifiedToken token) {
        if (revocations.tokenDenied(token)) {
            return Uni.createFrom().failure(ApiException.authRequired());
        }
        if (revocations.trusted()) {
            return Uni.createFrom().voidItem();
        }
        return revocations.tokenActiveAtSource(token).flatMap(active -> active ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(ApiException.authRequired()));
    }

    private static boolean loopback(HttpServerRequest request) {
        if (request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(request.remoteAddress().hostAddress()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String[] decode(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] { decoded.substring(0, colon), decoded.substring(colon + 1) };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
