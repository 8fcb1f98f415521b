package dev.latchkey.identity.service;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.repository.AuthorizationCodeRepository;
import dev.latchkey.identity.repository.AuthorizationRequestRepository;
import dev.latchkey.identity.repository.DeviceAuthorizationRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Removes what the authorization flows leave behind once it is of no use: requests past their lifetime, codes and
 * device authorizations an hour after theirs (a replayed code is still recognised until then). Scheduled by
 * {@link AuthorizationRequests}, which logs a failure and lets the next run try again.
 */
@ApplicationScoped
public class AuthorizationPurge {

    private final AuthorizationRequestRepository requests;
    private final AuthorizationCodeRepository codes;
    private final DeviceAuthorizationRepository devices;

    public AuthorizationPurge(AuthorizationRequestRepository requests, AuthorizationCodeRepository codes,
            DeviceAuthorizationRepository devices) {
        this.requests = requests;
        this.codes = codes;
        this.devices = devices;
    }

    @WithTransaction
    public Uni<Void> expired(OffsetDateTime now) {
        return requests.delete("expiresAt < ?1", now)
                .flatMap(n -> codes.delete("expiresAt < ?1", now.minusHours(1)))
                .flatMap(n -> devices.delete("expiresAt < ?1", now.minusHours(1)))
                .replaceWithVoid();
    }
}
