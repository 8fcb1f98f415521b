package dev.latchkey.identity.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.OAuthSession;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class OAuthSessionRepository implements PanacheRepositoryBase<OAuthSession, UUID> {

    /** The sessions granted to {@code clientId} that have not ended. */
    public Uni<List<UUID>> activeSessionsOf(String clientId) {
        return find("clientId = ?1 and sessionId in (select s.id from Session s where s.endedAt is null)", clientId)
                .list().map(grants -> grants.stream().map(g -> g.sessionId).toList());
    }
}
