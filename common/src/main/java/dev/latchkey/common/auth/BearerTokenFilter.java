package dev.latchkey.common.auth;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import dev.latchkey.common.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates endpoints marked {@link BearerToken} or {@link BearerTokenAllowingPending}, for JWTs and API
 * keys alike. The common case never leaves the event loop and does no I/O: a token verified before costs a
 * SHA-256, a map lookup and, for a person's token, one more lookup in the ended-sessions set; a key seen before
 * costs the same. Only a new token or key, a key with a rate limit (one Redis script) or an instance that lost
 * its revocation subscription (which then checks at the source) suspends the request.
 * <p>
 * This deliberately bypasses Quarkus' generic security pipeline (mechanism selection, identity providers,
 * deferred identities), whose per-request cost was most of an authenticated no-op request in bench/run, and
 * hands the caller to the resource through the routing context rather than by overriding the JAX-RS
 * SecurityContext, which makes Quarkus rebuild its security identity per request. JWT verification itself
 * stays smallrye-jwt's.
 * <p>
 * A token issued to an OAuth client ({@link VerifiedToken#clientId()}) is then admitted only where a scope it holds
 * opens the endpoint ({@link ClientScope}, {@link ClientScopeCheck}); for any other token that costs one null check.
 */
@Singleton
public class BearerTokenFilter {

    /**
     * Quarkus creates request filters while it deploys the REST layer, before runtime configuration exists;
     * the collaborators need that configuration, so they are looked up on first use and kept.
     */
    private final Instance<TokenVerifier> verifiers;
    private final Instance<ApiKeys> keys;
    private final Instance<Revocations> revocations;
    private volatile Parts parts;

    private record Parts(TokenVerifier verifier, ApiKeys keys, Revocations revocations, List<String> keyHeaders) {
    }

    public BearerTokenFilter(Instance<TokenVerifier> verifiers, Instance<ApiKeys> keys, Instance<Revocations> revocations) {
        this.verifiers = verifiers;
        this.keys = keys;
        this.revocations = revocations;
    }

    private Parts parts() {
        Parts current = parts;
        if (current == null) {
            ApiKeys apiKeys = keys.get();
            current = new Parts(verifiers.get(), apiKeys, revocations.get(), apiKeys.headers());
            parts = current;
        }
        return current;
    }

    @BearerToken
    @ServerRequestFilter
    public void authenticate(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        authenticate(request, routing, false);
    }

    @BearerTokenAllowingPending
    @ServerRequestFilter
    public void authenticateAllowingPending(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        authenticate(request, routing, true);
    }

    private void authenticate(ResteasyReactiveContainerRequestContext request, RoutingContext routing,
            boolean allowPending) {
        Parts p = parts();
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key = ApiKeys.presented(routing.request(), p.keyHeaders(), false);
        if (key != null) {
            VerifiedToken known = p.keys().remembered(key);
            if (known != null) {
                Caller.attach(routing, known);
                return;
            }
            resumeWhen(request, routing, p.keys().authenticate(key).map(authenticated -> {
                if (authenticated.rateLimit() != null) {
                    ApiKeys.headers(authenticated.rateLimit()).forEach(routing.response()::putHeader);
                }
                return authenticated.caller();
            }));
            return;
        }
        String token = TokenVerifier.bearer(authorization);
        VerifiedToken known = p.verifier().remembered(token);
        if (known != null) {
            VerifiedToken admitted = admitNow(p, known, allowPending);
            if (admitted != null) {
                if (admitted.clientId() != null) {
                    ClientScopeCheck.require(request, admitted);
                }
                Caller.attach(routing, admitted);
                return;
            }
            resumeWhen(request, routing, admitLater(p, known, routing));
            return;
        }
        resumeWhen(request, routing, p.verifier().verify(token).flatMap(fresh -> {
            VerifiedToken admitted = admitNow(p, fresh, allowPending);
            return admitted != null ? Uni.createFrom().item(admitted) : admitLater(p, fresh, routing);
        }));
    }

    /**
     * The token if it can be admitted without I/O; null when a check needs I/O. Throws for a refusal that needs
     * none: an account awaiting approval, an ended session, a token of a revoked key, a revoked service token.
     */
    private static VerifiedToken admitNow(Parts p, VerifiedToken token, boolean allowPending) {
        if (token.pending() && !allowPending) {
            throw new ApiException(403, "alpha_pending",
                    "Your account is waiting for an operator's approval; it takes effect at your next refresh");
        }
        if (token.keyId() != null && p.revocations().keyDenied(token.keyId())) {
            throw ApiKeys.refusal(KeyVerification.REVOKED);
        }
        if (token.keyId() != null && !p.revocations().trusted()) {
            // A token exchanged from a key, on an instance that may have missed the key's revocation: ask.
            return null;
        }
        if (token.sessionId() == null && token.keyId() == null) {
            // No session or key stands behind it (a service's token): only its id or its client can revoke it. A
            // person's or a key's token never gets here, so their hot path pays nothing for this.
            if (p.revocations().tokenDenied(token)) {
                throw tokenRevoked();
            }
            if (!p.revocations().trusted()) {
                return null;
            }
        }
        if (token.sessionId() != null) {
            switch (p.revocations().session(token.sessionId())) {
                case ENDED -> throw sessionEnded();
                case UNKNOWN -> {
                    return null;
                }
                default -> {
                }
            }
        }
        return p.keys().limited(token) ? null : token;
    }

    /**
     * The checks that need I/O: while revocations are untrusted, the session (or, for a service's token, the token's
     * revocation) at identity and the key behind an exchanged token at apikey-service; then the rate limit.
     */
    private static Uni<VerifiedToken> admitLater(Parts p, VerifiedToken token, RoutingContext routing) {
        Uni<Boolean> tokenOk = token.sessionId() == null && token.keyId() == null && !p.revocations().trusted()
                ? p.revocations().tokenActiveAtSource(token)
                : Uni.createFrom().item(true);
        Uni<Boolean> sessionOk = token.sessionId() != null
                && p.revocations().session(token.sessionId()) == Revocations.SessionState.UNKNOWN
                        ? p.revocations().sessionActiveAtSource(token.sessionId())
                        : Uni.createFrom().item(true);
        Uni<Boolean> keyOk = token.keyId() != null && !p.revocations().trusted()
                ? p.keys().keyActiveAtSource(token.keyId())
                : Uni.createFrom().item(true);
        return tokenOk
                .flatMap(tokenActive -> tokenActive ? sessionOk : Uni.createFrom().<Boolean>failure(tokenRevoked()))
                .flatMap(sessionActive -> sessionActive ? keyOk : Uni.createFrom().<Boolean>failure(sessionEnded()))
                .flatMap(keyActive -> {
                    if (!keyActive) {
                        return Uni.createFrom().failure(ApiKeys.refusal(KeyVerification.REVOKED));
                    }
                    return p.keys().limit(token).map(decision -> {
                        if (decision != null) {
                            ApiKeys.headers(decision).forEach(routing.response()::putHeader);
                        }
                        return token;
                    });
                });
    }

    private static ApiException tokenRevoked() {
        return new ApiException(401, "auth_required", "This token was revoked");
    }

    private static ApiException sessionEnded() {
        return new ApiException(401, "auth_required", "This session has ended; sign in again");
    }

    private static void resumeWhen(ResteasyReactiveContainerRequestContext request, RoutingContext routing,
            Uni<VerifiedToken> admitted) {
        request.suspend();
        admitted.subscribe().with(caller -> {
            if (caller.clientId() != null) {
                try {
                    ClientScopeCheck.require(request, caller);
                } catch (ApiException refused) {
                    request.resume(refused);
                    return;
                }
            }
            Caller.attach(routing, caller);
            request.resume();
        }, request::resume);
    }
}
