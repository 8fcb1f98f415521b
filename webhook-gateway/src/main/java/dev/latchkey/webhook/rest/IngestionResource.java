package dev.latchkey.webhook.rest;



import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.webhook.service.IngestionService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

@Cancellable(false)
@Path("/v1/webhooks")
@Tag(name = "Ingestion")
public class IngestionResource {

    private final IngestionService ingestion;
    private final Access access;

    public IngestionResource(IngestionService ingestion, Access access) {
        this.ingestion = ingestion;
        this.access = access;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Receipt(@Schema(description = "The stored event's id; absent for a duplicate") String id,
            @Schema(description = "True when this delivery had already been accepted; it was not stored again")
            boolean duplicate) {
    }

    @POST
    @Path("/{organizationId}/{provider}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a delivery from a provider",
            description = "Verifies the provider's signature over the raw body (HMAC-SHA256, constant-time), the "
                    + "signed timestamp's window, reserves the delivery id in Redis and commits the event to the inbox "
                    + "before answering. A resend of an accepted delivery is answered 200 with duplicate=true. "
                    + "Providers that require it also need the organization's API key (Authorization: Bearer, "
                    + "X-API-Key, X-MAO-API-Key or ?apiKey=).")
    @Parameter(name = "apiKey", in = ParameterIn.QUERY, description = "The organization's API key, for senders that cannot set headers")
    @APIResponse(responseCode = "200", description = "Stored (or already stored)",
            content = @Content(schema = @Schema(implementation = Receipt.class)))
    @APIResponse(responseCode = "400", description = "missing_header, malformed_header",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_signature, timestamp_out_of_window, replayed, invalid_api_key",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "not_found: no such organization or provider (not said which)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "413", description = "payload_too_large",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "dependency_unavailable: Redis or PostgreSQL; nothing was accepted",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Receipt> receive(@PathParam("organizationId") String organizationId, @PathParam("provider") String provider,
            byte[] body, @Context HttpServerRequest request) {
        return ingestion.ingest(organizationId, provider, request::getHeader, body == null ? new byte[0] : body,
                () -> access.apiKeyOrganization(request))
                .map(accepted -> new Receipt(accepted.id() == null ? null : accepted.id().toString(), accepted.duplicate()));
    }

}
