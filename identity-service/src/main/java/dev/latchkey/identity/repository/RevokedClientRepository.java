package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.RevokedClient;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class RevokedClientRepository implements PanacheRepositoryBase<RevokedClient, Long> {

    /** Rows no token can need any more. */
    public Uni<Long> deleteExpired(OffsetDateTime before) {
        return delete("denyUntil < ?1", before);
    }
}
