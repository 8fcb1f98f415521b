package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.ApiKeys;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
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

    /**
     * The token for a key: 401 as {@link ApiKeys#authenticate} says, and {@code api_key_expired} as well for a
     * key that expires within the verifiers' clock skew (no token could end before the key does).
     */
    public Uni<IssuedToken> exchangeApiKey(String apiKey) {
        return apiKeys.authenticate(apiKey).map(authenticated -> {
            VerifiedToken key = authenticated.caller();
            List<String> scopes = List.copyOf(key.scopes());
            Instant now = Instant.now();
            Duration ttl = lifetime(key.getExpirationTime(), now);
            SignedToken token = issuer.issue(AccessClaims.apiKey(key.getSubject(), key.tenantId(), scopes, ttl,
                    key.keyId(), key.capability(), key.roles(), key.resourceScope(), key.rateLimit()), now);
            return new IssuedToken(token.compact(), ttl.toSeconds(), String.join(" ", scopes));
        });
    }

    /**
     * A token never outlives the key it came from, at any verifier: they accept a token up to their clock skew
     * after its {@code exp}, so its {@code exp} is at the latest the key's expiry minus that skew.
     */
    private Duration lifetime(long keyExpiresAtEpochSecond, Instant now) {
        Duration ttl = config.accessTokenTtl();
        long lastExp = keyExpiresAtEpochSecond - config.verifierClockSkew().toSeconds();
        Duration untilLastExp = Duration.between(now, Instant.ofEpochSecond(lastExp));
        if (untilLastExp.compareTo(ttl) >= 0) {
            return ttl;
        }
        if (untilLastExp.toSeconds() < 1) {
            throw new ApiException(401, "api_key_expired", "This API key has expired");
        }
        // now + this lands exactly on lastExp (the signer keeps whole seconds of now + ttl).
        return untilLastExp;
    }
}
