package dev.latchkey.apikey.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.audit.AuditOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * {@code apikey.audit_outbox}: audit events written with the change they record, then delivered to tenant-service
 * (latchkey-common's {@link AuditOutbox}, shared with webhook-gateway).
 */
@ApplicationScoped
public class AuditOutboxRepository {

    private final AuditOutbox outbox;

    public AuditOutboxRepository(Pool pool) {
        this.outbox = new AuditOutbox(pool, "apikey.audit_outbox");
    }

    public Uni<Void> add(SqlClient client, UUID organizationId, JsonObject event) {
        return outbox.add(client, organizationId, event);
    }

    /** Events waiting for delivery (not set aside). */
    public Uni<Long> backlog() {
        return outbox.backlog();
    }

    public AuditOutbox outbox() {
        return outbox;
    }
}
