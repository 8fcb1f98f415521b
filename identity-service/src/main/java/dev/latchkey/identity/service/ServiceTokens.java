package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.config.IdentityConfig.ServiceClient;
import dev.latchkey.identity.oauth.ResourceIndicators;
import dev.latchkey.identity.oauth.ResourceIndicators.Target;
import dev.latchkey.identity.token.AccessClaims;
import dev.latchkey.identity.token.TokenSigner.SignedToken;
import io.smallrye.mutiny.Uni;

/**
 * Service tokens: short-lived JWTs with {@code token_use=service} that Latchkey services present to each
 * other's internal endpoints. Other services obtain theirs by the OAuth client-credentials grant; identity
 * signs its own directly.
 */
@ApplicationScoped
public class ServiceTokens implements ServiceTokenProvider {

    /** A cached token is replaced this long before it expires, so it never expires in flight. */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);
    /** identity-service's own client id (its service tokens' {@code sub} is {@code service:identity-service}). */
    static final String SELF = "identity-service";
    private static final List<String> SELF_SCOPES = List.of(Scopes.API_KEYS_VERIFY, Scopes.MEMBERSHIPS_READ,
            Scopes.MEMBERSHIPS_WRITE, Scopes.AUDIT_WRITE);

    private final TokenIssuer issuer;
    private final IdentityConfig config;
    private volatile SignedToken own;

    public ServiceTokens(TokenIssuer issuer, IdentityConfig config) {
        this.issuer = issuer;
        this.config = config;
    }

    /** identity signs its own service token: no grant, no network. */
    @Override
    public Uni<String> token() {
        return Uni.createFrom().item(this::ownToken);
    }

    @Override
    public void invalidate() {
        own = null;
    }

    /** identity-service's own token for calling apikey-service and tenant-service. */
    public String ownToken() {
        SignedToken current = own;
        if (current == null || current.expiresAt().minus(RENEW_BEFORE).isBefore(Instant.now())) {
            current = issuer.issue(AccessClaims.service(SELF, SELF_SCOPES, config.serviceTokenTtl()));
            own = current;
        }
        return current.compact();
    }

    /**
     * Whether {@code clientId}/{@code clientSecret} are a known client holding {@code scope} (for operator HTTP
     * Basic authentication). Compared in constant time, also for an unknown id.
     */
    public boolean clientHolds(String clientId, String clientSecret, String scope) {
        ServiceClient client = clientId == null ? null : config.clients().get(clientId);
        String expected = client == null ? "\0unknown-client" : client.secret();
        boolean secretMatches = Secrets.constantTimeEquals(expected, clientSecret == null ? "" : clientSecret);
        return client != null && secretMatches && client.scopes().contains(scope);
    }

    /**
     * The client-credentials grant. Every failure is the same {@code invalid_client}, so that a caller cannot
     * learn which client ids exist.
     *
     * @param requestedScopes space-separated subset of the client's scopes, or null for all of them
     * @param resources       RFC 8707 resource asked for (at most one, configured for the client), or none for a
     *                        token for Latchkey's own services; 400 invalid_target otherwise
     */
    public IssuedToken clientCredentials(String clientId, String clientSecret, String requestedScopes,
            List<String> resources) {
        ServiceClient client = clientId == null ? null : config.clients().get(clientId);
        // Compare even for an unknown id, so that timing does not tell known ids from unknown ones.
        String expected = client == null ? "\0unknown-client" : client.secret();
        boolean secretMatches = Secrets.constantTimeEquals(expected, clientSecret == null ? "" : clientSecret);
        if (client == null || !secretMatches) {
            throw new ApiException(401, "invalid_client", "Client authentication failed");
        }
        List<String> scopes = client.scopes();
        if (requestedScopes != null && !requestedScopes.isBlank()) {
            List<String> requested = List.of(requestedScopes.trim().split("\\s+"));
            if (!scopes.containsAll(requested)) {
                throw new ApiException(400, "invalid_scope", "The client may not request these scopes");
            }
            scopes = requested;
        }
        Target target = ResourceIndicators.target(resources, client.resources().orElse(List.of()), null,
                config.audience());
        if (target.refusal() != null) {
            throw OAuthProblem.invalidTarget(target.refusal());
        }
        SignedToken token = issuer.issue(AccessClaims.service(clientId, scopes, config.serviceTokenTtl())
                .withAudience(target.audience()));
        return new IssuedToken(token.compact(), config.serviceTokenTtl().toSeconds(), String.join(" ", scopes));
    }

    public record IssuedToken(String accessToken, long expiresIn, String scope) {
    }
}
