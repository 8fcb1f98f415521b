package dev.latchkey.apikey.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.apikey.config.ApiKeyConfig;
import dev.latchkey.apikey.repository.AuditOutboxRepository;
import dev.latchkey.common.client.TenantAuditClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Delivers {@code apikey.audit_outbox} to tenant-service: right after each change ({@link #kick()}) and every
 * {@code latchkey.apikey.audit.poll-interval}, with backoff and a give-up time from {@code latchkey.apikey.audit.*}
 * (latchkey-common's {@link dev.latchkey.common.audit.AuditDelivery}).
 */
@ApplicationScoped
public class AuditDelivery {

    private final dev.latchkey.common.audit.AuditDelivery delivery;

    public AuditDelivery(AuditOutboxRepository outbox, TenantAuditClient tenant, ApiKeyConfig config, Vertx vertx) {
        ApiKeyConfig.Audit audit = config.audit();
        this.delivery = new dev.latchkey.common.audit.AuditDelivery(outbox.outbox(), tenant,
                new dev.latchkey.common.audit.AuditDelivery.Settings(audit.pollInterval(), audit.batchSize(),
                        audit.maxBackoff(), audit.giveUpAfter()),
                vertx);
    }

    void onStart(@Observes StartupEvent event) {
        delivery.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        delivery.stop();
    }

    /** Delivers what is due now; a kick during a round runs one more round after it. */
    public void kick() {
        delivery.kick();
    }
}
