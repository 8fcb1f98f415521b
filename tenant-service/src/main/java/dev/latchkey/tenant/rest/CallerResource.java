package dev.latchkey.tenant.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ErrorBody;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1")
@Tag(name = "Caller")
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

    private static final Map<String, String> OK = Map.of("status", "ok");

    public record Me(String subject, @JsonProperty("tenant_id") String tenantId, List<String> scopes,
            @JsonProperty("token_use") String tokenUse,
            @JsonProperty("expires_at") @Schema(format = "date-time") String expiresAt) {
    }

    // Both endpoints do no I/O: run them on the event loop rather than hop to a worker thread.
    @GET
    @NonBlocking
    @Path("/me")
    @BearerToken
    @ClientScope(ClientScopes.ACCOUNT)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Who the bearer token says the caller is", description = "Reads no database.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Me.class)))
    @APIResponse(responseCode = "401", description = "auth_required",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Me me(@Context RoutingContext context) {
        VerifiedToken caller = Caller.require(context);
        return new Me(caller.getSubject(), caller.tenantId(), List.copyOf(caller.scopes()),
                // Instant.toString() is ISO-8601 like Jackson's output, at a fraction of its cost on this hot path.
                caller.tokenUse(), Instant.ofEpochSecond(caller.getExpirationTime()).toString());
    }

    @GET
    @NonBlocking
    @Path("/ping")
    @Operation(summary = "Liveness of the HTTP layer alone", description = "No authentication, no database.")
    public Map<String, String> ping() {
        return OK;
    }
}
