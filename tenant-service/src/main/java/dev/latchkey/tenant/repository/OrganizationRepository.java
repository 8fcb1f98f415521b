package dev.latchkey.tenant.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.latchkey.tenant.domain.Organization;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class OrganizationRepository implements PanacheRepositoryBase<Organization, UUID> {

    public Uni<Organization> findLive(UUID id) {
        return find("id = ?1 and deletedAt is null", id).firstResult();
    }

    /**
     * The live organization, locked ({@code SELECT ... FOR UPDATE}) until the transaction ends. Every change to
     * an organization's memberships, roles and invitations takes this lock first, so that such changes happen
     * one after another: two owners demoting each other at once cannot both see "another owner is left".
     */
    public Uni<Organization> lockLive(UUID id) {
        return find("id = ?1 and deletedAt is null", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Boolean> slugTaken(String slug, UUID except) {
        return count("slug = ?1 and deletedAt is null and id <> ?2", slug,
                except == null ? new UUID(0, 0) : except).map(n -> n > 0);
    }

    public Uni<Organization> personalOf(UUID userId) {
        return find("personalOwner", userId).firstResult();
    }

    /**
     * Creates {@code userId}'s personal organization unless it exists: one statement, decided by the unique
     * constraint on {@code personal_owner}, so concurrent first sign-ins create exactly one. 1 if created.
     */
    public Uni<Integer> insertPersonalIfAbsent(UUID id, String name, String slug, UUID userId, Instant now) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "insert into tenant.organizations (id, name, slug, personal_owner, created_by_type, created_by_id,"
                        + " created_at, updated_at) values (:id, :name, :slug, :owner, 'user', :creator, :now, :now)"
                        + " on conflict (personal_owner) do nothing")
                .setParameter("id", id).setParameter("name", name).setParameter("slug", slug)
                .setParameter("owner", userId).setParameter("creator", userId.toString()).setParameter("now", now)
                .executeUpdate());
    }

    /** Removes an organization that never became usable (its first API key could not be made). */
    public Uni<Long> hardDelete(UUID id) {
        return delete("id", id);
    }
}
