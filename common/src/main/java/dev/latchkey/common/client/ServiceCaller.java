package dev.latchkey.common.client;

import java.time.Duration;
import java.util.function.Function;

import jakarta.inject.Singleton;

import org.jboss.resteasy.reactive.ClientWebApplicationException;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.error.ApiException;
import io.smallrye.mutiny.Uni;

/**
 * The one way a Latchkey service calls another's internal API: with this service's service token
 * ({@link ServiceTokenProvider}), {@linkplain Outbound#detached detached} from the caller's cancellation, within a
 * deadline, and once more with a fresh token when the callee answers 401 (the cached token was refused: a key
 * rotated, a token that expired in flight). {@link #call} turns every failure into 503
 * {@code dependency_unavailable}; {@link #send} leaves failures as they came, for callers that degrade instead
 * (an audit event retried later, a membership that is simply absent on 404).
 */
@Singleton
public class ServiceCaller {

    private final ServiceTokenProvider tokens;
    private final Duration defaultTimeout;

    public ServiceCaller(ServiceTokenProvider tokens, ServiceClientConfig config) {
        this.tokens = tokens;
        this.defaultTimeout = config.callTimeout();
    }

    /** {@code latchkey.service-client.call-timeout}: the deadline of {@link #call(String, String, Function)}. */
    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * Calls {@code request} with an {@code Authorization: Bearer} value; failures as they came: an HTTP error as
     * {@link ClientWebApplicationException}, the deadline as a {@link io.smallrye.mutiny.TimeoutException}, a
     * token that cannot be had as the provider's {@link ApiException}.
     */
    public <T> Uni<T> send(Duration timeout, Function<String, Uni<T>> request) {
        return attempt(request)
                .onFailure(ServiceCaller::unauthorized).recoverWithUni(e -> attempt(request))
                .ifNoItem().after(timeout).fail();
    }

    /** As {@link #send}, every failure but an {@link ApiException} answered 503 with {@code message}. */
    public <T> Uni<T> call(Duration timeout, String message, String what, Function<String, Uni<T>> request) {
        return send(timeout, request).onFailure().transform(e -> unavailable(message, what, e));
    }

    /** As {@link #call(Duration, String, String, Function)} within {@link #defaultTimeout()}. */
    public <T> Uni<T> call(String message, String what, Function<String, Uni<T>> request) {
        return call(defaultTimeout, message, what, request);
    }

    /** 503 {@code dependency_unavailable} with {@code message} for the caller; an {@link ApiException} as it is. */
    public static ApiException unavailable(String message, String what, Throwable e) {
        return e instanceof ApiException api ? api : ApiException.unavailable(message, what + " failed: " + e, e);
    }

    private <T> Uni<T> attempt(Function<String, Uni<T>> request) {
        return tokens.token()
                .flatMap(token -> Outbound.detached(request.apply("Bearer " + token)))
                .onFailure(ServiceCaller::unauthorized).invoke(tokens::invalidate);
    }

    private static boolean unauthorized(Throwable e) {
        return e instanceof ClientWebApplicationException web && web.getResponse().getStatus() == 401;
    }
}
