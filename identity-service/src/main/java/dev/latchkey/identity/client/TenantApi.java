package dev.latchkey.identity.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;

/** tenant-service's membership API, as identity uses it. Wrapped by {@link TenantClient}. */
@RegisterRestClient(configKey = "tenant-service")
interface TenantApi {

    @GET
    @Path("/internal/v1/users/{userId}/memberships")
    Uni<Memberships> memberships(@HeaderParam("Authorization") String authorization, @PathParam("userId") String userId);

    @GET
    @Path("/internal/v1/organizations/{organizationId}/members/{userId}")
    Uni<Membership> membership(@HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") String organizationId, @PathParam("userId") String userId);

    @POST
    @Path("/internal/v1/users/{userId}/onboard")
    Uni<Memberships> onboard(@HeaderParam("Authorization") String authorization, @PathParam("userId") String userId,
            Onboard body);

    record Memberships(List<Membership> memberships) {
    }

    record Membership(@JsonProperty("organization_id") String organizationId, String name, String slug, String role,
            Boolean personal) {
    }

    record Onboard(String email, @JsonProperty("email_verified") boolean emailVerified, String name) {
    }
}
