package dev.latchkey.common.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.KeyVerification;
import io.smallrye.mutiny.Uni;

/** apikey-service's internal verify, key status and denied keys, as every other service calls them. Wrapped by {@link RemoteApiKeyLookup}. */
@RegisterRestClient(configKey = "apikey-service")
interface ApiKeyInternalApi {

    @POST
    @Path("/internal/v1/keys/verify")
    Uni<KeyVerification> verify(@HeaderParam("Authorization") String authorization, VerifyRequest request);

    @GET
    @Path("/internal/v1/keys/{keyId}/status")
    Uni<KeyStatus> status(@HeaderParam("Authorization") String authorization, @PathParam("keyId") String keyId);

    @GET
    @Path("/internal/v1/keys/denied")
    Uni<DeniedKeys> denied(@HeaderParam("Authorization") String authorization, @QueryParam("since") long since);

    /** Keys that stopped working since a time, for the revocation resync. */
    record DeniedKeys(List<Denied> keys) {
    }

    record Denied(String id, @JsonProperty("deny_until") long denyUntil) {
    }

    /** Whether tokens exchanged from a key may be accepted: {@code deny_until} (epoch seconds) when not. */
    record KeyStatus(boolean active, @JsonProperty("deny_until") long denyUntil) {
    }

    /** {@code apply_rate_limit=false}: the caller applies the limit itself (through the shared Redis script). */
    record VerifyRequest(String key, @JsonProperty("apply_rate_limit") boolean applyRateLimit) {
        @Override
        public String toString() {
            return "VerifyRequest[]";
        }
    }
}
