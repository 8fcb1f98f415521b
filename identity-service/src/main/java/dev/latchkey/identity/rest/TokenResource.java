package dev.latchkey.identity.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.service.ServiceTokens;
import dev.latchkey.identity.service.ServiceTokens.IssuedToken;
import dev.latchkey.identity.service.TokenExchangeService;
import io.smallrye.mutiny.Uni;

@Path("/v1")
@Tag(name = "Tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final TokenExchangeService exchange;
    private final ServiceTokens serviceTokens;

    public TokenResource(TokenExchangeService exchange, ServiceTokens serviceTokens) {
        this.exchange = exchange;
        this.serviceTokens = serviceTokens;
    }

    public record ApiKeyExchange(@JsonProperty("api_key") @NotBlank @Size(max = 256) String apiKey) {
    }

    public record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn, String scope) {

        static TokenResponse of(IssuedToken token) {
            return new TokenResponse(token.accessToken(), "Bearer", token.expiresIn(), token.scope());
        }

        @Override
        public String toString() {
            return "TokenResponse[expiresIn=" + expiresIn + "]";
        }
    }

    @POST
    @Path("/auth/token")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Exchange an API key for an access token",
            description = "Returns an ES256 JWT carrying the key's tenant and scopes, valid for 15 minutes by default.")
    @APIResponse(responseCode = "200", description = "Token issued",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_api_key, api_key_revoked, api_key_expired",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "dependency_unavailable",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<TokenResponse> exchangeApiKey(@Valid @NotNull ApiKeyExchange body) {
        return exchange.exchangeApiKey(body.apiKey()).map(TokenResponse::of);
    }

    @POST
    @Path("/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "OAuth 2.0 token endpoint (client credentials)",
            description = "For Latchkey services and operators. Client authentication by HTTP Basic or by "
                    + "client_id/client_secret form fields.")
    @APIResponse(responseCode = "200", description = "Token issued",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "unsupported_grant_type, invalid_scope",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public TokenResponse oauthToken(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @FormParam("scope") String scope,
            @HeaderParam("Authorization") String authorization) {
        if (!"client_credentials".equals(grantType)) {
            throw new ApiException(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported");
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = decodeBasic(authorization.substring(6).trim());
            clientId = pair[0];
            clientSecret = pair[1];
        }
        return TokenResponse.of(serviceTokens.clientCredentials(clientId, clientSecret, scope));
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException();
            }
            return new String[] { decoded.substring(0, colon), decoded.substring(colon + 1) };
        } catch (IllegalArgumentException e) {
            throw new ApiException(401, "invalid_client", "Client authentication failed");
        }
    }
}
