package dev.latchkey.identity.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.OutboxMail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class OutboxRepository implements PanacheRepositoryBase<OutboxMail, Long> {

    /**
     * Mail due now, locked; rows another instance is sending are skipped (SKIP LOCKED), so replicas share the
     * outbox without sending anything twice. Native SQL: HQL has no SKIP LOCKED. The columns are named: a prepared
     * statement with {@code *} fails once a later migration adds a column under a running instance.
     */
    public Uni<List<OutboxMail>> lockDue(int limit, int maxAttempts) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("""
                select id, recipient, subject, text_body, html_body, created_at, attempts, next_attempt_at, sent_at,
                       last_error
                from identity.mail_outbox
                where sent_at is null and next_attempt_at <= now() and attempts < :max
                order by next_attempt_at limit :limit for update skip locked""", OutboxMail.class)
                .setParameter("max", maxAttempts)
                .setParameter("limit", limit)
                .getResultList());
    }
}
