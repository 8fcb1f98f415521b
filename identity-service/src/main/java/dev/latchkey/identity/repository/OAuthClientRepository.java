package dev.latchkey.identity.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.OAuthClient;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OAuthClientRepository implements PanacheRepositoryBase<OAuthClient, String> {
}
