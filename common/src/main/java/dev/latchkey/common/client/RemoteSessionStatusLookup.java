package dev.latchkey.common.client;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;

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
}
