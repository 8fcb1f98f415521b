package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.RevokedToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class RevokedTokenRepository implements PanacheRepositoryBase<RevokedToken, String> {

    /** Rows no token can need any more (the token expired before {@code before}). */
    public Uni<Long> deleteExpired(OffsetDateTime before) {
        return delete("denyUntil < ?1", before);
    }
}
