package dev.latchkey.tenant.client;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;

@RegisterRestClient(configKey = "apikey-service")
@Path("/internal/v1/keys")
interface ApiKeyApi {

    @POST
    Uni<CreatedApiKey> create(@HeaderParam("Authorization") String authorization, CreateKey request);

    record CreateKey(@JsonProperty("tenant_id") UUID tenantId, String name, List<String> scopes) {
    }
}
