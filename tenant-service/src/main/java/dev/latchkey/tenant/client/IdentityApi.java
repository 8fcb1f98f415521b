package dev.latchkey.tenant.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;

/** identity-service's internal API as tenant-service calls it. Wrapped by {@link IdentityClient}. */
@RegisterRestClient(configKey = "identity-service")
@Path("/internal/v1")
@Consumes(MediaType.APPLICATION_JSON)
interface IdentityApi {

    @POST
    @Path("/sessions/end")
    Uni<EndedSessions> endSessions(@HeaderParam("Authorization") String authorization, EndSessions request);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EndSessions(@JsonProperty("organization_id") String organizationId, @JsonProperty("user_id") String userId) {
    }

    record EndedSessions(int ended) {
    }
}
