package dev.latchkey.common.client;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;

/** identity-service as every other service calls it. Wrapped by the beans of this package. */
@RegisterRestClient(configKey = "identity-service")
interface IdentityInternalApi {

    @POST
    @Path("/v1/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<TokenResponse> clientCredentials(@FormParam("grant_type") String grantType,
            @FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret);

    @GET
    @Path("/internal/v1/sessions/{sid}")
    Uni<SessionStatus> session(@HeaderParam("Authorization") String authorization, @PathParam("sid") String sid);

    @GET
    @Path("/internal/v1/sessions/ended")
    Uni<EndedSessions> ended(@HeaderParam("Authorization") String authorization, @QueryParam("since") long since);

    @GET
    @Path("/internal/v1/sessions/denied")
    Uni<Revoked> denied(@HeaderParam("Authorization") String authorization, @QueryParam("since") long since);

    @GET
    @Path("/internal/v1/sessions/tokens/{jti}")
    Uni<SessionStatus> token(@HeaderParam("Authorization") String authorization, @PathParam("jti") String jti,
            @QueryParam("client") String clientId, @QueryParam("iat") long issuedAt);

    record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") long expiresIn) {
        @Override
        public String toString() {
            return "TokenResponse[expiresIn=" + expiresIn + "]";
        }
    }

    record SessionStatus(boolean active, @JsonProperty("deny_until") long denyUntil) {
    }

    record EndedSessions(List<Ended> sessions) {
    }

    record Ended(String id, @JsonProperty("deny_until") long denyUntil) {
    }

    record Revoked(List<DeniedToken> tokens, List<DeniedClient> clients) {
    }

    record DeniedToken(String jti, @JsonProperty("deny_until") long denyUntil) {
    }

    record DeniedClient(@JsonProperty("client_id") String clientId, @JsonProperty("revoked_at") long revokedAt,
            @JsonProperty("deny_until") long denyUntil) {
    }
}
