package dev.latchkey.identity.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.OAuthSession;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;

@ApplicationScoped
@WithSession
public class OAuthSessionRepository implements PanacheRepositoryBase<OAuthSession, UUID> {
}
