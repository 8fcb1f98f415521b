package dev.latchkey.identity.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.ApiKeyClient;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.service.ServiceTokens.IssuedToken;
import dev.latchkey.identity.token.TokenRequest;
import dev.latchkey.identity.token.TokenSigner.SignedToken;
import io.smallrye.mutiny.Uni;

/** Exchanges an API key for a short-lived access token carrying the key's tenant and scopes. */
@ApplicationScoped
public class TokenExchangeService {

    private final ApiKeyClient apiKeys;
    private final TokenIssuer issuer;
    private final IdentityConfig config;

    public TokenExchangeService(ApiKeyClient apiKeys, TokenIssuer issuer, IdentityConfig config) {
        this.apiKeys = apiKeys;
        this.issuer = issuer;
        this.config = config;
    }

    public Uni<IssuedToken> exchangeApiKey(String apiKey) {
        return apiKeys.verify(apiKey).map(result -> {
            if (!result.valid()) {
                throw switch (result.code() == null ? "" : result.code()) {
                    case "REVOKED" -> new ApiException(401, "api_key_revoked", "This API key has been revoked");
                    case "EXPIRED" -> new ApiException(401, "api_key_expired", "This API key has expired");
                    default -> new ApiException(401, "invalid_api_key", "The API key is not valid");
                };
            }
            List<String> scopes = result.scopes() == null ? List.of() : result.scopes();
            SignedToken token = issuer.issue(new TokenRequest("apikey:" + result.keyId(), result.tenantId(), scopes,
                    Scopes.TOKEN_USE_ACCESS, config.accessTokenTtl()));
            return new IssuedToken(token.compact(), config.accessTokenTtl().toSeconds(), String.join(" ", scopes));
        });
    }
}
