package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.latchkey.identity.domain.RefreshToken;
import dev.latchkey.identity.domain.Session;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class SessionRepository implements PanacheRepositoryBase<Session, UUID> {

    public Uni<List<Session>> activeOf(UUID userId, OffsetDateTime now) {
        return find("userId = ?1 and endedAt is null and expiresAt > ?2", Sort.descending("lastUsedAt"), userId, now)
                .list();
    }

    /** The session row locked for update: concurrent refreshes of one session take turns. */
    public Uni<Session> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Active sessions to end: all of a user's, or those acting in an organization (optionally one user's). */
    public Uni<List<Session>> activeFor(UUID userId, UUID organizationId) {
        if (organizationId == null) {
            return find("userId = ?1 and endedAt is null", userId).withLock(LockModeType.PESSIMISTIC_WRITE).list();
        }
        if (userId == null) {
            return find("organizationId = ?1 and endedAt is null", organizationId)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        }
        return find("organizationId = ?1 and userId = ?2 and endedAt is null", organizationId, userId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** Sessions ended since {@code since} whose last token may still be alive. */
    public Uni<List<Session>> endedSince(OffsetDateTime since, OffsetDateTime now) {
        return find("endedAt >= ?1 and lastTokenExpiresAt > ?2", since, now).list();
    }

    /** A refresh token of the first form by its hash (sessions that started before tokens named their session). */
    public Uni<RefreshToken> refreshToken(String hash) {
        return Panache.getSession().flatMap(s -> s.find(RefreshToken.class, hash));
    }
}
