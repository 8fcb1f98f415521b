package dev.latchkey.tenant.client;

import java.time.Duration;
import java.util.function.Function;

import org.jboss.resteasy.reactive.ClientWebApplicationException;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.client.Outbound;
import dev.latchkey.common.error.ApiException;
import io.smallrye.mutiny.Uni;

/** One call to another Latchkey service with this service's token: detached, timed out, failures as 503. */
final class ServiceCalls {

    private ServiceCalls() {
    }

    static <T> Uni<T> call(ServiceTokenProvider tokens, Duration timeout, String what,
            Function<String, Uni<T>> call) {
        return tokens.token()
                .flatMap(token -> Outbound.detached(call.apply("Bearer " + token)))
                .ifNoItem().after(timeout).fail()
                .onFailure().transform(e -> {
                    if (e instanceof ApiException) {
                        return e;
                    }
                    if (e instanceof ClientWebApplicationException web && web.getResponse().getStatus() == 401) {
                        tokens.invalidate();
                    }
                    return ApiException.unavailable(what + " failed; it will be retried", what + " failed: " + e, e);
                });
    }
}
