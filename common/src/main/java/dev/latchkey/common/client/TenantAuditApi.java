package dev.latchkey.common.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** tenant-service's audit API ({@code POST /internal/v1/audit-events}). Wrapped by {@link TenantAuditClient}. */
@RegisterRestClient(configKey = "tenant-audit")
public interface TenantAuditApi {

    @POST
    @Path("/internal/v1/audit-events")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> record(@HeaderParam("Authorization") String authorization, JsonNode event);
}
