package dev.latchkey.identity.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.auth.Claims;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.service.DeviceAuthorizations;
import dev.latchkey.identity.service.IdTokenExchange;
import io.smallrye.common.annotation.NonBlocking;
import dev.latchkey.identity.service.SigningKeyService;

@Cancellable(false)
@Path("/.well-known")
@Tag(name = "Discovery")
public class WellKnownResource {

    /**
     * Verifiers refetch on an unknown kid, and a new key is published before it signs, so five minutes of
     * caching costs nothing at rotation time.
     */
    static final String CACHE_CONTROL = "public, max-age=300";

    private final SigningKeyService keys;
    private final Map<String, Object> discovery;

    public WellKnownResource(SigningKeyService keys, IdentityConfig config) {
        this.keys = keys;
        String issuer = config.issuer();
        Map<String, Object> doc = new LinkedHashMap<>();
        String pages = config.publicUrl().replaceAll("/+$", "");
        doc.put("issuer", issuer);
        // The authorization endpoint is a page people open: at the public URL; the rest is for back ends.
        doc.put("authorization_endpoint", pages + "/v1/oauth/authorize");
        doc.put("token_endpoint", issuer + "/v1/oauth/token");
        doc.put("userinfo_endpoint", issuer + "/v1/oauth/userinfo");
        doc.put("jwks_uri", issuer + "/.well-known/jwks.json");
        doc.put("introspection_endpoint", issuer + "/v1/oauth/introspect");
        doc.put("revocation_endpoint", issuer + "/v1/oauth/revoke");
        doc.put("device_authorization_endpoint", issuer + "/v1/oauth/device_authorization");
        doc.put("scopes_supported", OAuthScopes.SUPPORTED);
        doc.put("response_types_supported", List.of("code"));
        doc.put("response_modes_supported", List.of("query"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials",
                IdTokenExchange.GRANT_TYPE, DeviceAuthorizations.GRANT_TYPE));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        doc.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post",
                "none"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("ES256"));
        doc.put("token_endpoint_auth_signing_alg_values_supported", List.of("ES256"));
        doc.put("userinfo_signing_alg_values_supported", List.of("none"));
        doc.put("claims_supported", List.of(Claims.ISSUER, Claims.AUDIENCE, Claims.SUBJECT, Claims.EXPIRES_AT,
                Claims.ISSUED_AT, Claims.TOKEN_ID, Claims.AUTH_TIME, Claims.NONCE, Claims.AUTHORIZED_PARTY,
                Claims.ACCESS_TOKEN_HASH, Claims.SESSION_ID, Claims.EMAIL, Claims.EMAIL_VERIFIED, Claims.NAME,
                Claims.TENANT_ID, Claims.ROLES, Claims.SCOPE, Claims.TOKEN_USE, Claims.PENDING));
        doc.put("claims_parameter_supported", false);
        doc.put("request_parameter_supported", false);
        doc.put("request_uri_parameter_supported", false);
        doc.put("authorization_response_iss_parameter_supported", true);
        doc.put("prompt_values_supported", List.of("none", "login", "consent"));
        this.discovery = Map.copyOf(doc);
    }

    @GET
    @NonBlocking
    @Path("/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Public signing keys (JWKS)", description = "Every key that may still verify a token.")
    public Response jwks() {
        return Response.ok(keys.jwksJson()).header("Cache-Control", CACHE_CONTROL).build();
    }

    @GET
    @NonBlocking
    @Path("/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Discovery document")
    public Response openidConfiguration() {
        return Response.ok(discovery).header("Cache-Control", CACHE_CONTROL).build();
    }
}
