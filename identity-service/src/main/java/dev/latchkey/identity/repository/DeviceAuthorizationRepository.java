package dev.latchkey.identity.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.DeviceAuthorization;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class DeviceAuthorizationRepository implements PanacheRepositoryBase<DeviceAuthorization, String> {
}
