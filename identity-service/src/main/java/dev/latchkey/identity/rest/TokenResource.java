package dev.latchkey.identity.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.rest.OAuthErrorMapper.OAuthErrorBody;
import dev.latchkey.identity.service.AuthorizationService.Granted;
import dev.latchkey.identity.service.AuthorizationService;
import dev.latchkey.identity.service.ClientRegistry;
import dev.latchkey.identity.service.DeviceAuthorizations;
import dev.latchkey.identity.service.IdTokenExchange;
import dev.latchkey.identity.service.OAuthProblem;
import dev.latchkey.identity.service.ServiceTokens.IssuedToken;
import dev.latchkey.identity.service.ServiceTokens;
import dev.latchkey.identity.service.TokenIntrospection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The OAuth token endpoint and its neighbours: grants (client credentials, authorization code with PKCE, refresh
 * token, RFC 8693 token exchange of external ID tokens), introspection (RFC 7662), revocation (RFC 7009) and
 * OpenID Connect's userinfo. Errors answer in RFC 6749's shape ({@link OAuthErrorMapper}).
 * <p>
 * Hot path: the client-credentials grant is measured against node-oidc-provider and Keycloak in bench/run. It
 * stays on the event loop and touches no database: a map lookup of the configured client, one SHA-256 per side of
 * a constant-time comparison, one ES256 signature ({@code Es256}: the largest single part of the grant's cost).
 */
@Cancellable(false)
@Path("/v1/oauth")
@Tag(name = "Tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final ClientAddress clientAddress;
    private final ServiceTokens serviceTokens;
    private final ClientRegistry clients;
    private final AuthorizationService authorizations;
    private final IdTokenExchange exchange;
    private final TokenIntrospection introspection;
    private final DeviceAuthorizations devices;

    public TokenResource(ServiceTokens serviceTokens, ClientRegistry clients, AuthorizationService authorizations,
            IdTokenExchange exchange, TokenIntrospection introspection, DeviceAuthorizations devices,
            ClientAddress clientAddress) {
        this.clientAddress = clientAddress;
        this.devices = devices;
        this.serviceTokens = serviceTokens;
        this.clients = clients;
        this.authorizations = authorizations;
        this.exchange = exchange;
        this.introspection = introspection;
    }

    public record ApiKeyExchange(@JsonProperty("api_key") @NotBlank @Size(max = 256) String apiKey) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn, String scope,
            @Schema(description = "authorization_code, refresh_token and token exchange: the session's refresh "
                    + "token, rotated at every use") @JsonProperty("refresh_token") String refreshToken,
            @Schema(description = "For scope openid") @JsonProperty("id_token") String idToken,
            @Schema(description = "Token exchange: urn:ietf:params:oauth:token-type:access_token")
            @JsonProperty("issued_token_type") String issuedTokenType) {

        public static TokenResponse of(IssuedToken token) {
            return new TokenResponse(token.accessToken(), "Bearer", token.expiresIn(), token.scope(), null, null, null);
        }

        static TokenResponse of(Granted granted) {
            return new TokenResponse(granted.tokens().accessToken(), "Bearer", granted.tokens().expiresIn(),
                    String.join(" ", granted.scopes()), granted.tokens().refreshToken(), granted.idToken(), null);
        }

        @Override
        public String toString() {
            return "TokenResponse[expiresIn=" + expiresIn + "]";
        }
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "OAuth 2.0 token endpoint",
            description = "grant_type client_credentials (Latchkey services, operators), authorization_code (with "
                    + "code_verifier; PKCE S256 is required), refresh_token (rotating; a replayed one ends the session), "
                    + "urn:ietf:params:oauth:grant-type:token-exchange (subject_token: an ID token of a configured "
                    + "external issuer). Client authentication: HTTP Basic or client_id/client_secret form fields; "
                    + "public clients send client_id only. resource (RFC 8707; authorization_code, refresh_token, "
                    + "client_credentials): one absolute URI registered for the client (and, for a person's grant, "
                    + "asked for at the authorization endpoint); the access token's aud is then that resource only. "
                    + "Without it the token is for Latchkey's own services. Errors in RFC 6749 §5.2's shape.")
    @APIResponse(responseCode = "200", description = "Token issued",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid_request, invalid_grant, unsupported_grant_type, invalid_scope, "
            + "invalid_target (RFC 8707: a resource not registered for the client, not within the grant, or several)",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    @APIResponse(responseCode = "403", description = "access_denied (email_not_allowed: access gating)",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    @APIResponse(responseCode = "503", description = "temporarily_unavailable",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    public Uni<Response> token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @FormParam("scope") String scope,
            @FormParam("code") String code, @FormParam("redirect_uri") String redirectUri,
            @FormParam("code_verifier") String codeVerifier, @FormParam("refresh_token") String refreshToken,
            @FormParam("subject_token") String subjectToken,
            @FormParam("subject_token_type") String subjectTokenType, @FormParam("device_code") String deviceCode,
            @FormParam("resource") List<String> resources,
            @HeaderParam("Authorization") String authorization, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @Context RoutingContext routing) {
        String[] credentials = credentials(authorization, clientId, clientSecret);
        List<String> asked = resources == null ? List.of() : resources;
        if ("client_credentials".equals(grantType)) {
            try {
                return ok(TokenResponse.of(serviceTokens.clientCredentials(credentials[0], credentials[1], scope,
                        asked)));
            } catch (ApiException e) {
                return Uni.createFrom().failure(OAuthProblem.of(e, e.code()));
            }
        }
        if (!asked.isEmpty() && (IdTokenExchange.GRANT_TYPE.equals(grantType)
                || DeviceAuthorizations.GRANT_TYPE.equals(grantType))) {
            // RFC 8707 with the code, refresh and client-credentials grants only: a resource is never ignored.
            return Uni.createFrom().failure(new OAuthProblem(400, "invalid_target",
                    "resource is not supported with this grant type"));
        }
        String address = clientAddress.of(routing);
        Uni<TokenResponse> response = switch (grantType == null ? "" : grantType) {
            case "authorization_code" -> clients.authenticate(credentials[0], credentials[1])
                    .flatMap(client -> authorizations.exchange(client, code, redirectUri, codeVerifier, asked,
                            userAgent, address))
                    .map(TokenResponse::of);
            case "refresh_token" -> clients.authenticate(credentials[0], credentials[1])
                    .flatMap(client -> authorizations.refresh(client, refreshToken, asked, userAgent, address))
                    .map(TokenResponse::of);
            case IdTokenExchange.GRANT_TYPE -> (credentials[0] == null ? Uni.createFrom().<ClientRegistry.Client>nullItem()
                    : clients.authenticate(credentials[0], credentials[1]))
                    .flatMap(client -> exchange.exchange(subjectToken, subjectTokenType, client, userAgent, address))
                    .map(tokens -> new TokenResponse(tokens.accessToken(), "Bearer", tokens.expiresIn(), null,
                            tokens.refreshToken(), null, IdTokenExchange.ACCESS_TOKEN_TYPE));
            case DeviceAuthorizations.GRANT_TYPE -> clients.authenticate(credentials[0], credentials[1])
                    .flatMap(client -> devices.poll(client, deviceCode, userAgent, address))
                    .map(TokenResponse::of);
            case "" -> Uni.createFrom().failure(OAuthProblem.invalidRequest("grant_type is required"));
            default -> Uni.createFrom().failure(new OAuthProblem(400, "unsupported_grant_type",
                    "Supported grant types: authorization_code, refresh_token, client_credentials, "
                            + IdTokenExchange.GRANT_TYPE + ", " + DeviceAuthorizations.GRANT_TYPE));
        };
        return response.map(TokenResource::noStore)
                .onFailure(e -> e instanceof ApiException && !(e instanceof OAuthProblem))
                .transform(e -> OAuthProblem.of((ApiException) e, "invalid_grant"));
    }

    public record DeviceAuthorizationResponse(@JsonProperty("device_code") String deviceCode,
            @JsonProperty("user_code") String userCode, @JsonProperty("verification_uri") String verificationUri,
            @JsonProperty("verification_uri_complete") String verificationUriComplete,
            @JsonProperty("expires_in") long expiresIn, int interval) {
        @Override
        public String toString() {
            return "DeviceAuthorizationResponse[" + userCode + "]";
        }
    }

    @POST
    @Path("/device_authorization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Device authorization endpoint (RFC 8628)",
            description = "For devices without a browser (latchkey login --device): client_id (public clients) or "
                    + "client authentication, scope, and an optional host shown on the consent page. Show user_code "
                    + "and verification_uri to the person, then poll the token endpoint with grant_type "
                    + DeviceAuthorizations.GRANT_TYPE + " every interval seconds.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DeviceAuthorizationResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid_scope",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    public Uni<Response> deviceAuthorization(@FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @FormParam("scope") String scope,
            @FormParam("host") String host, @HeaderParam("Authorization") String authorization) {
        String[] credentials = credentials(authorization, clientId, clientSecret);
        return clients.authenticate(credentials[0], credentials[1])
                .flatMap(client -> devices.start(client, scope, host))
                .map(s -> noStore(new DeviceAuthorizationResponse(s.deviceCode(), s.userCode(), s.verificationUri(),
                        s.verificationUriComplete(), s.expiresIn(), s.interval())));
    }

    @POST
    @Path("/introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Token introspection (RFC 7662)",
            description = "For resource servers and confidential clients (HTTP Basic or client_id/client_secret). "
                    + "Access tokens: active while signed by a published key, unexpired, and their session not ended. "
                    + "Refresh tokens: active while current and their session alive, answered only to their client. "
                    + "Anything else: {\"active\": false}.")
    @APIResponse(responseCode = "200", description = "{\"active\": true, ...claims} or {\"active\": false}")
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    public Uni<Response> introspect(@FormParam("token") String token,
            @FormParam("token_type_hint") String hint, @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @HeaderParam("Authorization") String authorization) {
        String[] credentials = credentials(authorization, clientId, clientSecret);
        return introspection.authenticate(credentials[0], credentials[1])
                .flatMap(who -> introspection.introspect(who, token))
                .map(TokenResource::noStore);
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Token revocation (RFC 7009)",
            description = "Revoking a refresh token or an access token ends the session it belongs to (every service "
                    + "refuses its access tokens within a second). Only the client the session was granted to may revoke "
                    + "it. A client-credentials access token is revoked by its id: by its own client or an operator "
                    + "(a configured client holding internal:admin); every service refuses it within a second, "
                    + "introspection answers active=false. An unknown or foreign token is answered 200 and left alone, "
                    + "as the RFC asks. Clients authenticate as at introspection (configured service clients too) or, "
                    + "if public, by client_id.")
    @APIResponse(responseCode = "200", description = "Revoked, or nothing to revoke")
    @APIResponse(responseCode = "400", description = "invalid_request (no token)",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = OAuthErrorBody.class)))
    public Uni<Response> revoke(@FormParam("token") String token, @FormParam("token_type_hint") String hint,
            @FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret,
            @HeaderParam("Authorization") String authorization) {
        String[] credentials = credentials(authorization, clientId, clientSecret);
        return introspection.authenticateRevoker(credentials[0], credentials[1])
                .flatMap(who -> introspection.revoke(who, token))
                .map(x -> Response.ok().header("Cache-Control", "no-store").build());
    }

    @GET
    @Path("/userinfo")
    @BearerToken
    @ClientScope(ClientScopes.OPENID)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "OpenID Connect userinfo",
            description = "The signed-in person behind an access token: sub, and for the scopes granted email, "
                    + "email_verified, name; tenant_id is the organization the session acts in.")
    @APIResponse(responseCode = "200", description = "Claims")
    @APIResponse(responseCode = "401", description = "auth_required",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Map<String, Object>> userinfo(@Context RoutingContext routing) {
        VerifiedToken caller = Caller.requireUser(routing);
        return introspection.userinfo(caller);
    }

    @POST
    @Path("/userinfo")
    @BearerToken
    @ClientScope(ClientScopes.OPENID)
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "OpenID Connect userinfo (POST)")
    public Uni<Map<String, Object>> userinfoPost(@Context RoutingContext routing) {
        return userinfo(routing);
    }

    private static Uni<Response> ok(Object body) {
        return Uni.createFrom().item(noStore(body));
    }

    private static Response noStore(Object body) {
        return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    /** {client_id, client_secret} from HTTP Basic (RFC 6749 §2.3.1: form-urlencoded parts) or the form. */
    static String[] credentials(String authorization, String clientId, String clientSecret) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException();
                }
                return new String[] { urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1)) };
            } catch (IllegalArgumentException e) {
                throw OAuthProblem.invalidClient();
            }
        }
        return new String[] { clientId, clientSecret };
    }

    /** Percent-escapes decoded; '+' kept as is, since secrets made with base64 (not form-encoded) contain it. */
    private static String urlDecode(String value) {
        return value.indexOf('%') < 0 ? value
                : java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static List<String> list(String value) {
        return value == null ? List.of() : List.of(value.split(" "));
    }
}
