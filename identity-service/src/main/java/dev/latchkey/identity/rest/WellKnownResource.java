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

import dev.latchkey.identity.config.IdentityConfig;
import io.smallrye.common.annotation.NonBlocking;
import dev.latchkey.identity.service.SigningKeyService;

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
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/.well-known/jwks.json");
        doc.put("token_endpoint", issuer + "/v1/oauth/token");
        doc.put("grant_types_supported", List.of("client_credentials"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("response_types_supported", List.of("token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("ES256"));
        doc.put("claims_supported", List.of("iss", "aud", "sub", "exp", "iat", "jti", "tenant_id", "scope", "token_use"));
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
