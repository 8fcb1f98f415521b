package dev.latchkey.tenant.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.tenant.domain.MemberRow;
import dev.latchkey.tenant.domain.Membership;
import dev.latchkey.tenant.domain.MembershipId;
import dev.latchkey.tenant.domain.UserMembershipRow;
import dev.latchkey.tenant.policy.Cursors.TimeAndId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class MembershipRepository implements PanacheRepositoryBase<Membership, MembershipId> {

    public Uni<Membership> find(UUID organizationId, UUID userId) {
        return findById(new MembershipId(organizationId, userId));
    }

    public Uni<Long> owners(UUID organizationId) {
        return count("organizationId = ?1 and role = 'owner'", organizationId);
    }

    /** Adds the membership unless the user is a member already (then their role stays). 1 if added. */
    public Uni<Integer> insertIfAbsent(UUID organizationId, UUID userId, String role, Instant now) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "insert into tenant.memberships (organization_id, user_id, role, created_at, updated_at)"
                        + " values (:org, :user, :role, :now, :now) on conflict (organization_id, user_id) do nothing")
                .setParameter("org", organizationId).setParameter("user", userId).setParameter("role", role)
                .setParameter("now", now).executeUpdate());
    }

    /** Members in the order they joined, after {@code after} (null: from the first), at most {@code limit}. */
    public Uni<List<MemberRow>> page(UUID organizationId, TimeAndId after, int limit) {
        String where = after == null ? ""
                : " and (m.createdAt > :t or (m.createdAt = :t and m.userId > :u))";
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery("select new " + MemberRow.class.getName()
                    + "(m.userId, u.email, u.name, m.role, m.createdAt) from Membership m"
                    + " left join UserProfile u on u.userId = m.userId where m.organizationId = :org" + where
                    + " order by m.createdAt, m.userId", MemberRow.class)
                    .setParameter("org", organizationId).setMaxResults(limit);
            if (after != null) {
                query.setParameter("t", after.time()).setParameter("u", after.id());
            }
            return query.getResultList();
        });
    }

    /** The user's live organizations: their personal one first, then in the order they joined. */
    public Uni<List<UserMembershipRow>> ofUser(UUID userId) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery("select new "
                + UserMembershipRow.class.getName()
                + "(o.id, o.name, o.slug, m.role, o.personalOwner, m.createdAt, o.createdAt) from Membership m"
                + " join Organization o on o.id = m.organizationId where m.userId = :user and o.deletedAt is null"
                + " order by case when o.personalOwner = :user then 0 else 1 end, m.createdAt, o.id",
                UserMembershipRow.class).setParameter("user", userId).getResultList());
    }

    /** One membership of a live organization, or null. */
    public Uni<UserMembershipRow> ofUserIn(UUID userId, UUID organizationId) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery("select new "
                + UserMembershipRow.class.getName()
                + "(o.id, o.name, o.slug, m.role, o.personalOwner, m.createdAt, o.createdAt) from Membership m"
                + " join Organization o on o.id = m.organizationId where m.userId = :user and o.id = :org"
                + " and o.deletedAt is null", UserMembershipRow.class)
                .setParameter("user", userId).setParameter("org", organizationId).getSingleResultOrNull());
    }

    /** Whether someone known by {@code email} (normalised) is a member of the organization. */
    public Uni<Boolean> memberWithEmail(UUID organizationId, String email) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery("select count(*) from Membership m"
                + " join UserProfile u on u.userId = m.userId where m.organizationId = :org and u.email = :email",
                Long.class).setParameter("org", organizationId).setParameter("email", email).getSingleResult())
                .map(n -> n > 0);
    }
}
