package dev.latchkey.identity.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.EmailToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;

@ApplicationScoped
@WithSession
public class EmailTokenRepository implements PanacheRepositoryBase<EmailToken, String> {
}
