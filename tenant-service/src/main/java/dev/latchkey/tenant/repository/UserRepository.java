package dev.latchkey.tenant.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.tenant.domain.UserProfile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<UserProfile, UUID> {

    /**
     * Records what identity-service says of a person: one statement, safe under concurrent calls. A null
     * {@code name} keeps the name known before; a null {@code emailVerified} keeps the verification known before.
     */
    public Uni<Integer> upsert(UUID userId, String email, Boolean emailVerified, String name, Instant now) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "insert into tenant.users (user_id, email, email_verified, name, updated_at)"
                        + " values (:user, :email, :verified, :name, :now) on conflict (user_id) do update set"
                        + " email = excluded.email,"
                        + " email_verified = case when :keepVerified then"
                        + "   (users.email_verified and users.email = excluded.email) else excluded.email_verified end,"
                        + " name = coalesce(excluded.name, users.name), updated_at = excluded.updated_at")
                .setParameter("user", userId).setParameter("email", email)
                .setParameter("verified", emailVerified != null && emailVerified)
                .setParameter("keepVerified", emailVerified == null)
                .setParameter("name", name).setParameter("now", now)
                .executeUpdate());
    }
}
