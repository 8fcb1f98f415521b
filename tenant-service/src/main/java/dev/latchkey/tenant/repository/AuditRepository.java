package dev.latchkey.tenant.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.tenant.domain.AuditEvent;
import dev.latchkey.tenant.domain.AuditFilter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class AuditRepository implements PanacheRepositoryBase<AuditEvent, Long> {

    /** Newest first (by id, which only grows), at most {@code limit}. */
    public Uni<List<AuditEvent>> page(AuditFilter filter, int limit) {
        StringBuilder where = new StringBuilder("organizationId = :org");
        Parameters parameters = Parameters.with("org", filter.organizationId());
        if (filter.action() != null) {
            where.append(" and action = :action");
            parameters.and("action", filter.action());
        }
        if (filter.actionPrefix() != null) {
            // Action names contain '_', a LIKE wildcard: escape it.
            where.append(" and action like :prefix escape '!'");
            parameters.and("prefix", filter.actionPrefix().replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%");
        }
        if (filter.actor() != null) {
            where.append(" and actorId = :actor");
            parameters.and("actor", filter.actor());
        }
        if (filter.since() != null) {
            where.append(" and occurredAt >= :since");
            parameters.and("since", filter.since());
        }
        if (filter.until() != null) {
            where.append(" and occurredAt < :until");
            parameters.and("until", filter.until());
        }
        if (filter.before() != null) {
            where.append(" and id < :before");
            parameters.and("before", filter.before());
        }
        return find(where + " order by id desc", parameters).range(0, limit - 1).list();
    }

    public Uni<AuditEvent> bySourceEventId(String sourceEventId) {
        return find("sourceEventId", sourceEventId).firstResult();
    }
}
