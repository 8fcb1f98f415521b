package dev.latchkey.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import io.smallrye.mutiny.Uni;

/** What every call between Latchkey services relies on: the token, one retry after a 401, and 503 otherwise. */
class ServiceCallerTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    /** Hands out token-1, token-2… and counts how often a token was dropped. */
    private static final class Tokens implements ServiceTokenProvider {
        final AtomicInteger invalidated = new AtomicInteger();

        @Override
        public Uni<String> token() {
            return Uni.createFrom().item(() -> "token-" + (invalidated.get() + 1));
        }

        @Override
        public void invalidate() {
            invalidated.incrementAndGet();
        }
    }

    private final Tokens tokens = new Tokens();
    private final ServiceCaller caller = new ServiceCaller(tokens, config());

    private static ServiceClientConfig config() {
        return new ServiceClientConfig() {
            @Override
            public String id() {
                return "test";
            }

            @Override
            public String secret() {
                return "not-used";
            }

            @Override
            public Duration callTimeout() {
                return SOON;
            }
        };
    }

    /** A callee that records each Authorization value and answers the given statuses in turn (200: "ok"). */
    private static Function<String, Uni<String>> callee(List<String> seen, int... statuses) {
        AtomicInteger n = new AtomicInteger();
        return auth -> {
            seen.add(auth);
            int status = statuses[Math.min(n.getAndIncrement(), statuses.length - 1)];
            return status == 200 ? Uni.createFrom().item("ok")
                    : Uni.createFrom().failure(new ClientWebApplicationException(status));
        };
    }

    @Test
    void aCallCarriesTheServiceToken() {
        List<String> seen = new ArrayList<>();
        assertEquals("ok", caller.call("down", "test call", callee(seen, 200)).await().atMost(SOON));
        assertEquals(List.of("Bearer token-1"), seen);
    }

    @Test
    void aRefusedTokenIsDroppedAndTheCallRetriedOnceWithAFreshOne() {
        List<String> seen = new ArrayList<>();
        assertEquals("ok", caller.call("down", "test call", callee(seen, 401, 200)).await().atMost(SOON));
        assertEquals(List.of("Bearer token-1", "Bearer token-2"), seen);
        assertEquals(1, tokens.invalidated.get());
    }

    @Test
    void aSecond401IsNotRetriedAndAnswers503() {
        List<String> seen = new ArrayList<>();
        ApiException e = assertThrows(ApiException.class,
                () -> caller.call("Things cannot be done", "test call", callee(seen, 401, 401)).await().atMost(SOON));
        assertEquals(503, e.status());
        assertEquals(ErrorCodes.DEPENDENCY_UNAVAILABLE, e.code());
        assertEquals(2, seen.size());
        assertEquals(2, tokens.invalidated.get());
    }

    @Test
    void otherFailuresAnswer503WithoutRetry() {
        List<String> seen = new ArrayList<>();
        ApiException e = assertThrows(ApiException.class,
                () -> caller.call("down", "test call", callee(seen, 500)).await().atMost(SOON));
        assertEquals(503, e.status());
        assertEquals(1, seen.size());
        assertEquals(0, tokens.invalidated.get());
    }

    @Test
    void sendLeavesFailuresAsTheyCameForCallersThatDegrade() {
        Throwable e = assertThrows(Throwable.class,
                () -> caller.send(SOON, callee(new ArrayList<>(), 404)).await().atMost(SOON));
        assertInstanceOf(ClientWebApplicationException.class, e);
        assertEquals(404, ((ClientWebApplicationException) e).getResponse().getStatus());
    }

    @Test
    void aCallThatHangsFailsAtItsDeadline() {
        ApiException e = assertThrows(ApiException.class, () -> caller
                .call(Duration.ofMillis(50), "down", "test call", auth -> Uni.createFrom().<String>nothing())
                .await().atMost(SOON));
        assertEquals(503, e.status());
    }

    @Test
    void anApiExceptionOfTheTokenProviderPassesAsItIs() {
        ApiException refused = ApiException.unavailable("identity is down", "grant failed", null);
        ServiceTokenProvider failing = new ServiceTokenProvider() {
            @Override
            public Uni<String> token() {
                return Uni.createFrom().failure(refused);
            }

            @Override
            public void invalidate() {
            }
        };
        ApiException e = assertThrows(ApiException.class, () -> new ServiceCaller(failing, config())
                .call("down", "test call", callee(new ArrayList<>(), 200)).await().atMost(SOON));
        assertSame(refused, e);
    }
}
