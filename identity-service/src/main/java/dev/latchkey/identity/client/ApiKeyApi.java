package dev.latchkey.identity.client;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** apikey-service's internal API, as identity uses it. Wrapped by {@link ApiKeyClient}. */
@RegisterRestClient(configKey = "apikey-service")
@Path("/internal/v1/keys")
interface ApiKeyApi {

    @POST
    @Path("/verify")
    Uni<ApiKeyVerification> verify(@HeaderParam("Authorization") String authorization, VerifyRequest request);

    record VerifyRequest(String key) {
    }
}
