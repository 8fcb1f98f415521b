package dev.latchkey.common.client;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Sends one audit event to tenant-service with this service's own service token ({@code internal:audit.write})
 * and says whether to try again: an event tenant-service refuses as invalid never will be accepted, anything else
 * (down, overloaded, a token not yet valid) may be.
 */
@ApplicationScoped
public class TenantAuditClient {

    public enum Outcome {
        DELIVERED,
        /** tenant-service says the event itself is wrong: sending it again cannot help. */
        REFUSED,
        /** Anything else: try again later. */
        RETRY
    }

    public record Result(Outcome outcome, String detail) {
    }

    private final TenantAuditApi api;
    private final ServiceCaller calls;
    private final ObjectMapper json;

    public TenantAuditClient(@RestClient TenantAuditApi api, ServiceCaller calls, ObjectMapper json) {
        this.api = api;
        this.calls = calls;
        this.json = json;
    }

    public Uni<Result> send(JsonObject event) {
        JsonNode body;
        try {
            body = json.readTree(event.encode());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(new Result(Outcome.REFUSED, "not JSON: " + e.getOriginalMessage()));
        }
        // Never fails: whatever goes wrong is an outcome, and the outbox tries again later.
        return calls.send(calls.defaultTimeout(), auth -> api.record(auth, body))
                .map(response -> classify(response.getStatus()))
                .onFailure().recoverWithItem(e -> e instanceof ClientWebApplicationException web
                        ? classify(web.getResponse().getStatus())
                        : new Result(Outcome.RETRY, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    static Result classify(int status) {
        if (status >= 200 && status < 300) {
            return new Result(Outcome.DELIVERED, null);
        }
        if (status == 400 || status == 422) {
            return new Result(Outcome.REFUSED, "tenant-service answered " + status);
        }
        return new Result(Outcome.RETRY, "tenant-service answered " + status);
    }
}
