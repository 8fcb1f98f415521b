package dev.latchkey.identity.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.PasswordCredential;
import dev.latchkey.identity.domain.User;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    public Uni<User> findByEmail(String normalisedEmail) {
        return find("email", normalisedEmail).firstResult();
    }

    public Uni<PasswordCredential> password(UUID userId) {
        return Panache.getSession().flatMap(s -> s.find(PasswordCredential.class, userId));
    }

    public Uni<PasswordCredential> persistPassword(PasswordCredential credential) {
        return Panache.getSession().flatMap(s -> s.merge(credential));
    }
}
