package dev.latchkey.webhook.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.smallrye.common.annotation.NonBlocking;

@Cancellable(false)
@Path("/v1/ping")
@Tag(name = "Service")
public class PingResource {

    private static final Map<String, String> OK = Map.of("status", "ok");

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Liveness of the HTTP layer alone", description = "No authentication, no database.")
    public Map<String, String> ping() {
        return OK;
    }
}
