package dev.latchkey.identity.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.ApiKeys;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.service.ServiceTokens.IssuedToken;
import dev.latchkey.identity.token.AccessClaims;
import dev.latchkey.identity.token.TokenSigner.SignedToken;
import io.smallrye.mutiny.Uni;

/**
 * Exchanges an API key for a short-lived access token that carries what the key may do: its organization,
 * capability, resource scope, scopes and rate limit, and the role a machine caller acts with. The key is
 * verified through the same cache every service uses ({@link ApiKeys}), so a repeated exchange costs no call
 * to apikey-service; it counts as a use of the key (rate limit, last used).
 */
@ApplicationScoped
public class TokenExchangeService {

    private final ApiKeys apiKeys;
    private final TokenIssuer issuer;
    private final IdentityConfig config;

    public TokenExchangeService(ApiKeys apiKeys, TokenIssuer issuer, IdentityConfig config) {
        this.apiKeys = apiKeys;
        this.issuer = issuer;
        this.config = config;
    }

    public Uni<IssuedToken> exchangeApiKey(String apiKey) {
        return apiKeys.authenticate(apiKey).map(authenticated -> {
            VerifiedToken key = authenticated.caller();
            List<String> scopes = List.copyOf(key.scopes());
            // A token never outlives the key it came from.
            java.time.Duration ttl = config.accessTokenTtl();
            long keyLeft = key.getExpirationTime() - java.time.Instant.now().getEpochSecond();
            if (keyLeft < ttl.toSeconds()) {
                ttl = java.time.Duration.ofSeconds(Math.max(1, keyLeft));
            }
            SignedToken token = issuer.issue(AccessClaims.apiKey(key.getSubject(), key.tenantId(), scopes, ttl,
                    key.keyId(), key.capability(), key.roles(), key.resourceScope(), key.rateLimit()));
            return new IssuedToken(token.compact(), ttl.toSeconds(), String.join(" ", scopes));
        });
    }
}
