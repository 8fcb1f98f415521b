package dev.latchkey.identity.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.EmailToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class EmailTokenRepository implements PanacheRepositoryBase<EmailToken, String> {
}
