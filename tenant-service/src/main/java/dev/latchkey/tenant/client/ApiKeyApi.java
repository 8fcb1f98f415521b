package dev.latchkey.tenant.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;

@RegisterRestClient(configKey = "apikey-service")
@Path("/internal/v1")
@Consumes(MediaType.APPLICATION_JSON)
interface ApiKeyApi {

    @POST
    @Path("/keys")
    Uni<CreatedApiKey> create(@HeaderParam("Authorization") String authorization, CreateKey request);

    /** Revokes every key of the organization (CONTRACTS.md); the body is empty. */
    @POST
    @Path("/organizations/{organizationId}/keys/revoke")
    Uni<RevokedKeys> revokeAll(@HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") UUID organizationId, Map<String, Object> body);

    record CreateKey(@JsonProperty("tenant_id") UUID tenantId, String name, List<String> scopes) {
    }

    record RevokedKeys(int revoked) {
    }
}
