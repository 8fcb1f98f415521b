package dev.latchkey.common.auth;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * API keys presented to any Latchkey service: found once, remembered, and refused everywhere the moment they
 * change.
 * <p>
 * Cost: a key seen before costs a SHA-256 and a map lookup (plus one Redis script when the key has a rate
 * limit); a malformed or mistyped key (bad checksum) is refused without any I/O; an unknown key is asked of
 * apikey-service once and then remembered as unknown for a short while (bounded separately, so garbage cannot
 * evict valid keys); concurrent first uses of one key share one lookup. The plaintext key is never kept: the
 * caches are keyed by its SHA-256. A key's verdict is trusted only while {@link Revocations} is subscribed;
 * otherwise every use asks apikey-service, which reads PostgreSQL.
 * <p>
 * A valid verdict is remembered until the key's own end (its expiry, or the end of its rotation grace) at the
 * latest, so an expiring key needs no message. A change announced while a lookup is in flight makes that
 * lookup's answer unfit to remember (it may predate the change): every announced change bumps a counter, and a
 * lookup remembers its answer only if the counter did not move meanwhile; later callers do not join it either.
 * <p>
 * Uses are recorded for {@code last_used_at} in memory and flushed to Redis every two seconds
 * ({@code HSET latchkey:apikeys:last-used}); apikey-service writes them to PostgreSQL in batches, so the hot
 * path never writes PostgreSQL.
 */
@Singleton
public class ApiKeys {

    public static final String LAST_USED_HASH = "latchkey:apikeys:last-used";
    public static final String QUERY_PARAMETER = "apiKey";
    private static final long FLUSH_MILLIS = 2000;

    /** A key that authenticated, with the rate-limit outcome of this request (null when unlimited). */
    public record Authenticated(VerifiedToken caller, RateLimiter.Decision rateLimit) {
    }

    private final Instance<ApiKeyLookup> lookups;
    private final RateLimiter limiter;
    private final Revocations revocations;
    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final AuthConfig config;
    private final List<String> headers;
    private final Cache<ByteBuffer, Known> valid;
    private final Cache<ByteBuffer, KeyVerification> invalid;
    /** Key statuses asked at the source while untrusted: reused for half a second, as sessions' are. */
    private final Cache<String, Boolean> keyStatuses = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(500, TimeUnit.MILLISECONDS).build();
    private final Map<ByteBuffer, Uni<KeyVerification>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    /** Bumped by every announced key change and resync: lookups that straddle one are not remembered. */
    private final AtomicLong changes = new AtomicLong();
    private final String lastUsedHash;
    private volatile ApiKeyLookup lookup;
    private long timer = -1;

    private record Known(KeyVerification verification, VerifiedToken caller, long expiresAtMillis) {
    }

    public ApiKeys(Instance<ApiKeyLookup> lookups, RateLimiter limiter, Revocations revocations,
            ReactiveRedisDataSource redis, Vertx vertx, AuthConfig config) {
        this.lookups = lookups;
        this.limiter = limiter;
        this.revocations = revocations;
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        this.headers = List.copyOf(config.apiKeyHeaders());
        this.lastUsedHash = config.lastUsedHash();
        long ttlNanos = config.apiKeyCacheTtl().toNanos();
        this.valid = Caffeine.newBuilder().maximumSize(config.apiKeyCacheSize())
                .expireAfter(new Expiry<ByteBuffer, Known>() {
                    @Override
                    public long expireAfterCreate(ByteBuffer key, Known known, long currentTime) {
                        long untilExpiry = TimeUnit.MILLISECONDS.toNanos(known.expiresAtMillis() - System.currentTimeMillis());
                        return Math.max(0, Math.min(ttlNanos, untilExpiry));
                    }

                    @Override
                    public long expireAfterUpdate(ByteBuffer key, Known known, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, known, currentTime);
                    }

                    @Override
                    public long expireAfterRead(ByteBuffer key, Known known, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
        this.invalid = Caffeine.newBuilder().maximumSize(config.apiKeyNegativeCacheSize())
                .expireAfterWrite(config.apiKeyNegativeCacheTtl()).build();
        revocations.onKeyChanged(this::forget);
        revocations.onResync(() -> {
            changes.incrementAndGet();
            inFlight.clear();
            valid.invalidateAll();
            invalid.invalidateAll();
        });
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(FLUSH_MILLIS, id -> flushLastUsed());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        flushLastUsed();
    }

    /**
     * The API key a request presents, or null: {@code Authorization: Bearer <key>} (a bearer value without
     * dots is a key, a JWT always has two), the configured key headers ({@code X-API-Key} and aliases), and
     * with {@code allowQueryParameter} {@code ?apiKey=} for senders that cannot set headers.
     */
    public static String presented(HttpServerRequest request, List<String> keyHeaders, boolean allowQueryParameter) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.length() > 7 && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).trim();
            if (!value.isEmpty() && value.indexOf('.') < 0) {
                return value;
            }
        }
        for (String header : keyHeaders) {
            String value = request.getHeader(header);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        if (allowQueryParameter) {
            String value = request.getParam(QUERY_PARAMETER);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    /** {@link #presented(HttpServerRequest, List, boolean)} with this service's configured key headers. */
    public String presented(HttpServerRequest request, boolean allowQueryParameter) {
        return presented(request, headers, allowQueryParameter);
    }

    public List<String> headers() {
        return headers;
    }

    /**
     * The caller for {@code key} when it can be decided without any I/O: a remembered valid key without a rate
     * limit while caches are trusted. Null otherwise (then use {@link #authenticate}).
     */
    public VerifiedToken remembered(String key) {
        if (!revocations.trusted() || key.length() > ApiKeyFormat.MAX_LENGTH) {
            return null;
        }
        Known known = valid.getIfPresent(ByteBuffer.wrap(Secrets.sha256(key)));
        if (known == null || limited(known.caller())) {
            return null;
        }
        recordUse(known.caller().keyId());
        return known.caller();
    }

    /**
     * Authenticates {@code key}: 401 {@code invalid_api_key} (unknown or malformed), {@code api_key_revoked},
     * {@code api_key_expired}; 429 {@code rate_limited} with {@code Retry-After} and {@code RateLimit-*}
     * headers over the key's limit; 503 when apikey-service cannot be asked.
     */
    public Uni<Authenticated> authenticate(String key) {
        return verify(key).flatMap(verification -> {
            if (!verification.keyUsable()) {
                return Uni.createFrom().failure(refusal(verification.status()));
            }
            VerifiedToken caller = verification.toCaller();
            recordUse(caller.keyId());
            return limit(caller).map(decision -> new Authenticated(caller, decision));
        });
    }

    /**
     * The key's status, decided by apikey-service (through the caches), without applying its rate limit. Use
     * {@link #check} to count the use as well.
     */
    public Uni<KeyVerification> verify(String key) {
        if (!ApiKeyFormat.wellFormed(key)) {
            return Uni.createFrom().item(KeyVerification.of(KeyVerification.MALFORMED));
        }
        ByteBuffer hash = ByteBuffer.wrap(Secrets.sha256(key));
        if (revocations.trusted()) {
            Known known = valid.getIfPresent(hash);
            if (known != null) {
                return Uni.createFrom().item(known.verification());
            }
            KeyVerification refused = invalid.getIfPresent(hash);
            if (refused != null) {
                return Uni.createFrom().item(refused);
            }
        }
        return lookupOnce(hash, key);
    }

    /** Concurrent lookups of one key share one call; its answer is remembered unless a change raced it. */
    private Uni<KeyVerification> lookupOnce(ByteBuffer hash, String key) {
        Uni<KeyVerification> running = inFlight.get(hash);
        if (running != null) {
            return running;
        }
        long epoch = changes.get();
        AtomicReference<Uni<KeyVerification>> self = new AtomicReference<>();
        Uni<KeyVerification> shared = lookup().lookup(key)
                .onItem().invoke(verification -> {
                    if (changes.get() == epoch) {
                        remember(hash, verification);
                    }
                })
                .onTermination().invoke(() -> inFlight.remove(hash, self.get()))
                .memoize().indefinitely();
        self.set(shared);
        Uni<KeyVerification> raced = inFlight.putIfAbsent(hash, shared);
        return raced != null ? raced : shared;
    }

    /** Status plus this request's rate-limit outcome: what apikey-service's internal verify answers. */
    public Uni<KeyVerification> check(String key) {
        return verify(key).flatMap(verification -> {
            if (!verification.valid()) {
                return Uni.createFrom().item(verification);
            }
            VerifiedToken caller = verification.toCaller();
            recordUse(caller.keyId());
            return decide(caller).map(decision -> decision == null ? verification : verification.withRateLimit(decision));
        });
    }

    /** Applies the caller's rate limit (a key's, or the key behind an exchanged token); null when unlimited. */
    public Uni<RateLimiter.Decision> limit(VerifiedToken caller) {
        return decide(caller).map(decision -> {
            if (decision != null && !decision.allowed()) {
                throw rateLimited(decision);
            }
            return decision;
        });
    }

    /** Whether the caller needs a rate-limit check at all (it has a limit, or a default applies). */
    public boolean limited(VerifiedToken caller) {
        return caller.keyId() != null && effectiveLimit(caller.rateLimit()) != null;
    }

    private Uni<RateLimiter.Decision> decide(VerifiedToken caller) {
        RateLimit limit = effectiveLimit(caller.rateLimit());
        if (limit == null || caller.keyId() == null) {
            return Uni.createFrom().nullItem();
        }
        return limiter.acquire("apikey:" + caller.keyId(), limit);
    }

    private RateLimit effectiveLimit(RateLimit own) {
        if (own != null && own.limited()) {
            return own;
        }
        AuthConfig.RateLimitDefaults defaults = config.defaultRateLimit();
        if (defaults.perMinute() > 0) {
            return new RateLimit(defaults.perMinute(), defaults.burst() > 0 ? defaults.burst() : defaults.perMinute());
        }
        return null;
    }

    /** The refusal a caller presenting a key with this status gets. */
    public static ApiException refusal(String status) {
        return switch (status) {
            case KeyVerification.REVOKED -> new ApiException(401, "api_key_revoked", "This API key has been revoked");
            case KeyVerification.EXPIRED -> new ApiException(401, "api_key_expired", "This API key has expired");
            default -> new ApiException(401, "invalid_api_key", "The API key is not valid");
        };
    }

    /** 429 with {@code Retry-After} and the {@code RateLimit-*} headers. */
    public static ApiException rateLimited(RateLimiter.Decision decision) {
        ApiException e = new ApiException(429, ErrorCodes.RATE_LIMITED,
                "This API key is over its rate limit; retry after " + decision.retryAfterSeconds() + " s");
        e.withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        headers(decision).forEach(e::withHeader);
        return e;
    }

    /** The {@code RateLimit-Limit}, {@code -Remaining} and {@code -Reset} headers of a decision. */
    public static Map<String, String> headers(RateLimiter.Decision decision) {
        return Map.of("RateLimit-Limit", Integer.toString(decision.limit().perMinute()),
                "RateLimit-Remaining", Long.toString(Math.max(0, decision.remaining())),
                "RateLimit-Reset", Long.toString(decision.resetAfterSeconds()));
    }

    /**
     * Whether tokens exchanged from key {@code keyId} may still be accepted, asked of apikey-service (through
     * {@link ApiKeyLookup#denyUntil}): for an instance whose caches are not trusted, which may have missed the
     * key's revocation. Answers are reused for half a second; a refusal is also kept as a denial until its
     * tokens could have expired ({@link Revocations#keyRefusedAtSource}), so that trusting the caches again does
     * not undo it.
     */
    public Uni<Boolean> keyActiveAtSource(String keyId) {
        Boolean known = keyStatuses.getIfPresent(keyId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return lookup().denyUntil(keyId).map(until -> {
            boolean active = until == 0;
            keyStatuses.put(keyId, active);
            if (!active) {
                revocations.keyRefusedAtSource(keyId, until);
            }
            return active;
        });
    }

    /** Forgets everything remembered about key {@code keyId} (it changed). */
    public void forget(String keyId) {
        changes.incrementAndGet();
        keyStatuses.invalidate(keyId);
        inFlight.clear();
        valid.asMap().values().removeIf(known -> keyId.equals(known.caller().keyId()));
    }

    private void remember(ByteBuffer hash, KeyVerification verification) {
        if (!revocations.trusted()) {
            return;
        }
        if (verification.keyUsable()) {
            VerifiedToken caller = verification.toCaller();
            long expires = verification.expiresAt() == null ? Long.MAX_VALUE
                    : verification.expiresAt().toInstant().toEpochMilli();
            valid.put(hash, new Known(verification, caller, expires));
        } else if (!KeyVerification.MALFORMED.equals(verification.status())) {
            invalid.put(hash, verification);
        }
    }

    private ApiKeyLookup lookup() {
        ApiKeyLookup current = lookup;
        if (current == null) {
            current = lookups.get();
            lookup = current;
        }
        return current;
    }

    private void recordUse(String keyId) {
        if (keyId != null) {
            lastUsed.put(keyId, Instant.now().getEpochSecond());
        }
    }

    private void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(lastUsedHash);
        for (String keyId : List.copyOf(lastUsed.keySet())) {
            Long at = lastUsed.remove(keyId);
            if (at != null) {
                args.add(keyId);
                args.add(Long.toString(at));
            }
        }
        if (args.size() > 1) {
            redis.execute("HSET", args.toArray(String[]::new)).subscribe().with(ignored -> { },
                    failure -> Log.debugf("last-used times not recorded: %s", failure.toString()));
        }
    }
}
