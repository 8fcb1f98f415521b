package dev.latchkey.common.auth;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates endpoints marked {@link BearerToken}. A token this instance has verified before costs a
 * SHA-256 and a map lookup, inline on the event loop; only a new token goes through full verification.
 * <p>
 * This deliberately bypasses Quarkus' generic security pipeline (mechanism selection, identity providers,
 * deferred identities), whose per-request cost was most of an authenticated no-op request in bench/run, and
 * hands the token to the resource through the routing context rather than by overriding the JAX-RS
 * SecurityContext, which makes Quarkus rebuild its security identity per request. Verification itself
 * stays smallrye-jwt's.
 */
@Singleton
public class BearerTokenFilter {

    /**
     * Quarkus creates request filters while it deploys the REST layer, before runtime configuration exists;
     * the verifier needs that configuration, so it is looked up on first use and kept.
     */
    private final Instance<TokenVerifier> verifiers;
    private volatile TokenVerifier verifier;

    public BearerTokenFilter(Instance<TokenVerifier> verifiers) {
        this.verifiers = verifiers;
    }

    private TokenVerifier verifier() {
        TokenVerifier current = verifier;
        if (current == null) {
            current = verifiers.get();
            verifier = current;
        }
        return current;
    }

    @BearerToken
    @ServerRequestFilter
    public void authenticate(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        String token = TokenVerifier.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        VerifiedToken known = verifier().remembered(token);
        if (known != null) {
            Caller.attach(routing, known);
            return;
        }
        // A new token: verify off the event loop and resume the request when done.
        request.suspend();
        verifier().verify(token).subscribe().with(fresh -> {
            Caller.attach(routing, fresh);
            request.resume();
        }, request::resume);
    }
}
