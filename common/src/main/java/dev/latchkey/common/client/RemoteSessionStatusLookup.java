package dev.latchkey.common.client;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.auth.SessionStatusLookup;
import dev.latchkey.common.error.ApiException;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/** Asks identity-service, which owns sessions, with this service's service token. */
@Singleton
@DefaultBean
public class RemoteSessionStatusLookup implements SessionStatusLookup {

    private final IdentityInternalApi identity;
    private final ServiceTokenProvider tokens;
    private final ServiceClientConfig config;

    public RemoteSessionStatusLookup(@RestClient IdentityInternalApi identity, ServiceTokenProvider tokens,
            ServiceClientConfig config) {
        this.identity = identity;
        this.tokens = tokens;
        this.config = config;
    }

    @Override
    public Uni<Long> denyUntil(String sid) {
        return call(tokens.token().flatMap(token -> Outbound.detached(identity.session("Bearer " + token, sid))))
                .map(status -> status.active() ? 0L : status.denyUntil());
    }

    @Override
    public Uni<Map<String, Long>> endedSince(long epochSecond) {
        return call(tokens.token().flatMap(token -> Outbound.detached(identity.ended("Bearer " + token, epochSecond))))
                .map(ended -> {
                    Map<String, Long> out = new HashMap<>();
                    if (ended.sessions() != null) {
                        ended.sessions().forEach(s -> out.put(s.id(), s.denyUntil()));
                    }
                    return out;
                });
    }

    private <T> Uni<T> call(Uni<T> call) {
        return call.ifNoItem().after(config.callTimeout()).fail()
                .onFailure().transform(e -> {
                    if (e instanceof ApiException) {
                        return e;
                    }
                    if (e instanceof ClientWebApplicationException web && web.getResponse().getStatus() == 401) {
                        tokens.invalidate();
                    }
                    return ApiException.unavailable("Sessions cannot be checked right now",
                            "identity session status failed: " + e, e);
                });
    }
}
