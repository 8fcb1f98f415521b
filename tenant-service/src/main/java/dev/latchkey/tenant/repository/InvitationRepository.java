package dev.latchkey.tenant.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.latchkey.tenant.domain.Invitation;
import dev.latchkey.tenant.policy.Cursors.TimeAndId;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class InvitationRepository implements PanacheRepositoryBase<Invitation, UUID> {

    private static final String PENDING = "acceptedAt is null and revokedAt is null and expiresAt > :now";

    /** The invitation whose latest mail carried the token with this hash, locked until the transaction ends. */
    public Uni<Invitation> lockByTokenHash(byte[] hash) {
        return find("tokenHash = ?1", (Object) hash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Invitation> lock(UUID id) {
        return find("id = ?1", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Boolean> pendingExists(UUID organizationId, String email, Instant now) {
        return count("organizationId = :org and email = :email and " + PENDING,
                Parameters.with("org", organizationId).and("email", email).and("now", now)).map(n -> n > 0);
    }

    /** Pending invitations of live organizations addressed to {@code email}, locked (sign-up honours them). */
    public Uni<List<Invitation>> lockPendingFor(String email, Instant now) {
        return find("email = :email and " + PENDING + " and exists (select 1 from Organization o"
                + " where o.id = organizationId and o.deletedAt is null) order by createdAt",
                Parameters.with("email", email).and("now", now))
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** Pending invitations, newest first, after {@code after} (null: from the newest), at most {@code limit}. */
    public Uni<List<Invitation>> pendingPage(UUID organizationId, TimeAndId after, int limit, Instant now) {
        Parameters parameters = Parameters.with("org", organizationId).and("now", now);
        String where = "organizationId = :org and " + PENDING;
        if (after != null) {
            where += " and (createdAt < :t or (createdAt = :t and id < :id))";
            parameters.and("t", after.time()).and("id", after.id());
        }
        return find(where + " order by createdAt desc, id desc", parameters).range(0, limit - 1).list();
    }

    /** Revokes every invitation of the organization that has not been accepted (the organization is deleted). */
    public Uni<Integer> revokeAllOpen(UUID organizationId, Instant now) {
        return update("revokedAt = ?1 where organizationId = ?2 and acceptedAt is null and revokedAt is null", now,
                organizationId);
    }
}
