package dev.latchkey.webhook.service;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.common.audit.AuditDelivery;
import dev.latchkey.common.audit.AuditEvents;
import dev.latchkey.common.audit.AuditOutbox;
import dev.latchkey.common.client.TenantAuditClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The organization's audit log for provider changes: each change writes its event into
 * {@code webhook.audit_outbox} in its own transaction (never a secret: the provider is named by id and name), and
 * the events are delivered from there to tenant-service ({@code GET /v1/organizations/{id}/audit} shows them).
 */
@ApplicationScoped
public class ProviderAudit {

    public enum Change {
        CREATED("webhook_provider.created"), SECRET_ROTATED("webhook_provider.secret_rotated"),
        DELETED("webhook_provider.deleted");

        final String action;

        Change(String action) {
            this.action = action;
        }
    }

    /** Who made a change and from where. */
    public record Origin(JsonObject actor, String clientAddress, String requestId) {
    }

    private final AuditOutbox outbox;
    private final AuditDelivery delivery;

    public ProviderAudit(Pool pool, TenantAuditClient tenant, Vertx vertx) {
        this.outbox = new AuditOutbox(pool, "webhook.audit_outbox");
        this.delivery = new AuditDelivery(outbox, tenant, AuditDelivery.Settings.DEFAULTS, vertx);
    }

    void onStart(@Observes StartupEvent event) {
        delivery.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        delivery.stop();
    }

    /** Records the change within the transaction {@code tx} that makes it. */
    public Uni<Void> record(SqlClient tx, Change change, UUID organizationId, UUID providerId, String providerName,
            Map<String, Object> metadata, Origin origin) {
        JsonObject event = AuditEvents.event("webhook-gateway", organizationId, origin.actor(), change.action,
                AuditEvents.target("webhook_provider", providerId.toString(), providerName), metadata,
                origin.clientAddress(), origin.requestId());
        return outbox.add(tx, organizationId, event);
    }

    /** Delivers at once what the committed change added, rather than at the next poll. */
    public void committed() {
        delivery.kick();
    }

    /** Events not yet delivered (for tests and operators). */
    public Uni<Long> backlog() {
        return outbox.backlog();
    }
}
