package dev.latchkey.common.client;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.latchkey.common.auth.DeniedTokens;
import dev.latchkey.common.auth.SessionStatusLookup;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/** Asks identity-service, which owns sessions, with this service's service token. */
@Singleton
@DefaultBean
public class RemoteSessionStatusLookup implements SessionStatusLookup {

    private static final String UNAVAILABLE = "Sessions cannot be checked right now";
    private static final String WHAT = "identity session status";

    private final IdentityInternalApi identity;
    private final ServiceCaller calls;

    public RemoteSessionStatusLookup(@RestClient IdentityInternalApi identity, ServiceCaller calls) {
        this.identity = identity;
        this.calls = calls;
    }

    @Override
    public Uni<Long> denyUntil(String sid) {
        return calls.call(UNAVAILABLE, WHAT, auth -> identity.session(auth, sid))
                .map(status -> status.active() ? 0L : status.denyUntil());
    }

    @Override
    public Uni<Map<String, Long>> endedSince(long epochSecond) {
        return calls.call(UNAVAILABLE, WHAT, auth -> identity.ended(auth, epochSecond))
                .map(ended -> {
                    Map<String, Long> out = new HashMap<>();
                    if (ended.sessions() != null) {
                        ended.sessions().forEach(s -> out.put(s.id(), s.denyUntil()));
                    }
                    return out;
                });
    }

    @Override
    public Uni<DeniedTokens.Denied> deniedSince(long epochSecond) {
        return calls.call(UNAVAILABLE, WHAT, auth -> identity.denied(auth, epochSecond)).map(denied -> {
            Map<String, Long> tokens = new HashMap<>();
            Map<String, DeniedTokens.ClientDenial> clients = new HashMap<>();
            if (denied.tokens() != null) {
                denied.tokens().forEach(t -> tokens.put(t.jti(), t.denyUntil()));
            }
            if (denied.clients() != null) {
                denied.clients().forEach(c -> clients.merge(c.clientId(),
                        new DeniedTokens.ClientDenial(c.revokedAt(), c.denyUntil()), DeniedTokens.ClientDenial::merge));
            }
            return new DeniedTokens.Denied(tokens, clients);
        });
    }

    @Override
    public Uni<Long> tokenDenyUntil(String jti, String clientId, long issuedAt) {
        return calls.call(UNAVAILABLE, WHAT, auth -> identity.token(auth, jti == null ? "-" : jti, clientId, issuedAt))
                .map(status -> status.active() ? 0L : status.denyUntil());
    }
}
