package dev.latchkey.identity.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.ExternalIdentity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class ExternalIdentityRepository implements PanacheRepositoryBase<ExternalIdentity, ExternalIdentity.Key> {

    public Uni<ExternalIdentity> find(String issuer, String subject) {
        return findById(new ExternalIdentity.Key(issuer, subject));
    }
}
