package dev.latchkey.common.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.inject.Singleton;

import dev.latchkey.common.error.ApiException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Per-key rate limits shared by every instance of every service: one atomic Redis script (GCRA, see
 * {@code latchkey/gcra.lua}) per request of a limited key, so N parallel requests against a limit of L let
 * exactly L through wherever they land. Costs one Redis round trip; keys without a limit never pay it. When Redis
 * cannot be asked, a limited key's request is refused with 503 {@code dependency_unavailable} and
 * {@code Retry-After: 1}: an exact limit is not traded for availability.
 */
@Singleton
public class RateLimiter {

    /** The outcome of one request against a limit; the numbers feed the {@code RateLimit-*} headers. */
    public record Decision(boolean allowed, RateLimit limit, long remaining, long retryAfterMillis, long resetAfterMillis) {

        public long retryAfterSeconds() {
            return Math.max(1, (retryAfterMillis + 999) / 1000);
        }

        public long resetAfterSeconds() {
            return Math.max(0, (resetAfterMillis + 999) / 1000);
        }
    }

    private static final String PREFIX = "latchkey:ratelimit:";
    private static final String SCRIPT = load();
    private static final String SHA = sha1(SCRIPT);

    private final ReactiveRedisDataSource redis;

    public RateLimiter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Takes one request from {@code subject}'s allowance under {@code limit}. */
    public Uni<Decision> acquire(String subject, RateLimit limit) {
        String key = PREFIX + subject;
        String burst = Integer.toString(Math.max(1, limit.burst()));
        String rate = Integer.toString(limit.perMinute());
        return redis.execute("EVALSHA", SHA, "1", key, burst, rate, "60")
                .onFailure(RateLimiter::noScript)
                .recoverWithUni(() -> redis.execute("EVAL", SCRIPT, "1", key, burst, rate, "60"))
                .map(response -> decision(limit, response))
                // Without Redis the limit cannot be kept exactly: refuse (503, retry shortly) rather than let
                // unlimited requests through or answer 500.
                .onFailure(failure -> !(failure instanceof ApiException)).transform(failure -> ApiException
                        .unavailable("Rate limits cannot be checked right now", "rate limiter: " + failure, failure)
                        .withHeader("Retry-After", "1"));
    }

    private static Decision decision(RateLimit limit, Response response) {
        return new Decision(response.get(0).toLong() == 1, limit, response.get(1).toLong(), response.get(2).toLong(),
                response.get(3).toLong());
    }

    private static boolean noScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static String load() {
        try (InputStream in = RateLimiter.class.getClassLoader().getResourceAsStream("latchkey/gcra.lua")) {
            if (in == null) {
                throw new IllegalStateException("latchkey/gcra.lua is missing from latchkey-common");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JRE", e);
        }
    }
}
