package dev.latchkey.common.auth;

import java.security.Principal;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Authenticates endpoints marked {@link BearerToken}. A token this instance has verified before costs a
 * SHA-256 and a map lookup, inline on the event loop; only a new token goes through full verification.
 * <p>
 * This deliberately bypasses Quarkus' generic security pipeline (mechanism selection, identity providers,
 * deferred identities), whose per-request cost was most of an authenticated no-op request in bench/run.
 * Verification itself stays smallrye-jwt's.
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
    public void authenticate(ResteasyReactiveContainerRequestContext request) {
        String token = TokenVerifier.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        VerifiedToken known = verifier().remembered(token);
        if (known != null) {
            request.setSecurityContext(new TokenSecurityContext(known, request));
            return;
        }
        // A new token: verify off the event loop and resume the request when done.
        request.suspend();
        verifier().verify(token).subscribe().with(fresh -> {
            request.setSecurityContext(new TokenSecurityContext(fresh, request));
            request.resume();
        }, request::resume);
    }

    /** Holds the request rather than its original SecurityContext, whose creation is not free. */
    private record TokenSecurityContext(VerifiedToken token, ContainerRequestContext request) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return token;
        }

        @Override
        public boolean isUserInRole(String scope) {
            return token.scopes().contains(scope);
        }

        @Override
        public boolean isSecure() {
            return "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme());
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
