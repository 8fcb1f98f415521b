package dev.latchkey.common.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.latchkey.common.crypto.Secrets;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * What every instance of every service must stop accepting at once: tokens of ended sessions, and API keys that
 * were revoked, rotated or changed. Changes arrive through one Redis pub/sub channel, so an ended session or a
 * revoked key is refused everywhere within milliseconds, while a request pays one map lookup.
 * <p>
 * The channel is only trusted while this instance is provably subscribed: every second it publishes a
 * heartbeat and expects to hear it back. Until the first subscription, and whenever a heartbeat goes missing
 * or the connection ends, the instance stops trusting its caches: each session is then checked with
 * identity-service ({@link SessionStatusLookup}) and each API key with apikey-service. On (re)subscription it
 * reloads the sessions ended and the keys denied within the revocation window from their owners' PostgreSQL
 * (identity, apikey-service: {@link ApiKeyLookup#deniedSince}) and drops every cached key verdict, and only then
 * trusts its caches: nothing published while it was deaf is missed, even if the announcement never reached Redis
 * or Redis lost it. Redis carries announcements only; PostgreSQL is the record.
 */
@Singleton
public class Revocations {

    /**
     * Messages: {@code session <sid> <deny-until>}, {@code key <key-id> <deny-until>}, {@code member user:<id> 0} or
     * {@code member organization:<id> 0} (tenant-service: memberships changed), {@code ping <instance> <n>};
     * {@code token <jti> <deny-until>} and {@code client <id> <revoked-at>:<deny-until>} ({@link DeniedTokens}).
     */
    public static final String CHANNEL = "latchkey:revocations";

    /** How a session looks to this instance right now. */
    public enum SessionState {
        ACTIVE,
        ENDED,
        /** The channel is not trusted: ask identity. */
        UNKNOWN
    }

    private static final long HEARTBEAT_MILLIS = 1000;
    /** Heartbeats that may be outstanding before the subscription counts as lost. */
    private static final long MISSED_HEARTBEATS = 2;

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Instance<SessionStatusLookup> sessionLookup;
    private final Instance<ApiKeyLookup> keyLookup;
    private final Duration window;
    private final String instance = Secrets.randomBase62(16);
    private final DenyList endedSessions = new DenyList();
    private final DenyList deniedKeys = new DenyList();
    private final DeniedTokens deniedTokens = new DeniedTokens();
    private final List<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> membershipListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> resyncListeners = new CopyOnWriteArrayList<>();
    private final Cache<String, Long> remoteAnswers = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(500, TimeUnit.MILLISECONDS).build();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong heard = new AtomicLong();
    /** Which subscription is current: callbacks of an abandoned one must not touch the current one. */
    private final AtomicLong generation = new AtomicLong();

    private volatile boolean trusted;
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean stopped;
    private long timer = -1;
    private long ticks;

    public Revocations(ReactiveRedisDataSource redis, Vertx vertx, Instance<SessionStatusLookup> sessionLookup,
            Instance<ApiKeyLookup> keyLookup, AuthConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.sessionLookup = sessionLookup;
        this.keyLookup = keyLookup;
        this.window = config.sessionRevocationWindow();
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> tick());
        // Start-up does not wait for the subscription (it was a large share of the start-up time: the first Redis
        // subscription and the first service-token call to identity for the resync). Until it is trusted, every
        // session and API key is checked at its source, which is correct, only slower.
        connect();
        vertx.setTimer(TimeUnit.SECONDS.toMillis(5), id -> {
            if (!trusted && running()) {
                Log.warn("revocations: not subscribed yet (Redis, identity-service or apikey-service unreachable);"
                        + " sessions and API keys are checked at their source until it is");
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        drop();
    }

    /** Whether this instance may rely on its caches: it is subscribed and has heard its own heartbeat. */
    public boolean trusted() {
        return trusted;
    }

    public SessionState session(String sid) {
        if (endedSessions.denied(sid, Instant.now().getEpochSecond())) {
            return SessionState.ENDED;
        }
        return trusted ? SessionState.ACTIVE : SessionState.UNKNOWN;
    }

    /** Asks identity whether {@code sid} is active (used while the channel is not trusted). */
    public Uni<Boolean> sessionActiveAtSource(String sid) {
        Long known = remoteAnswers.getIfPresent(sid);
        if (known != null) {
            return Uni.createFrom().item(known == 0 || known <= Instant.now().getEpochSecond());
        }
        return sessionLookup.get().denyUntil(sid).map(until -> {
            remoteAnswers.put(sid, until);
            endedSessions.deny(sid, until);
            return until == 0 || until <= Instant.now().getEpochSecond();
        });
    }

    /** Whether tokens exchanged from API key {@code keyId} must be refused (the key was revoked). */
    public boolean keyDenied(String keyId) {
        return deniedKeys.denied(keyId, Instant.now().getEpochSecond());
    }

    /**
     * Keeps a refusal that apikey-service answered while this instance was not trusted ({@code keyId}'s tokens
     * are refused until {@code denyUntil}, epoch seconds): once trusted again, the refusal stands even before the
     * revocation's announcement or the resync that would have brought it.
     */
    public void keyRefusedAtSource(String keyId, long denyUntil) {
        deniedKeys.deny(keyId, denyUntil);
    }

    /** Whether {@code token}, of no session and no key (a service's), was revoked by id or with its client. */
    public boolean tokenDenied(VerifiedToken token) {
        return deniedTokens.denied(token, Instant.now().getEpochSecond());
    }

    /** Asks identity whether {@code token} was revoked (used while the channel is not trusted). */
    public Uni<Boolean> tokenActiveAtSource(VerifiedToken token) {
        String key = "jti:" + token.getTokenID();
        Long known = remoteAnswers.getIfPresent(key);
        Uni<Long> until = known != null ? Uni.createFrom().item(known) : sessionLookup.get()
                .tokenDenyUntil(token.getTokenID(), DeniedTokens.clientOf(token), token.getIssuedAtTime())
                .invoke(answer -> remoteAnswers.put(key, answer));
        return until.map(u -> u == 0 || u <= Instant.now().getEpochSecond());
    }

    /** Announces (identity, after the commit) that access token {@code jti} is refused until {@code denyUntil}. */
    public Uni<Void> publishTokenRevoked(String jti, long denyUntil) {
        return publishDenied(DeniedTokens.TOKEN, jti, Long.toString(denyUntil));
    }

    /** Announces (identity, after the commit) that tokens issued to a client up to {@code revokedAt} are refused. */
    public Uni<Void> publishClientRevoked(String clientId, long revokedAt, long denyUntil) {
        return publishDenied(DeniedTokens.CLIENT, clientId, revokedAt + ":" + denyUntil);
    }

    private Uni<Void> publishDenied(String type, String id, String value) {
        deniedTokens.apply(type, id, value);
        return redis.pubsub(String.class).publish(CHANNEL, type + " " + id + " " + value);
    }

    /** {@code listener} hears the id of every API key that changed (revoked, rotated, renamed, expired). */
    public void onKeyChanged(Consumer<String> listener) {
        keyListeners.add(listener);
    }

    /**
     * {@code listener} hears what changed at tenant-service: {@code user <id>} when a user's organizations or roles
     * changed (joined, left, removed, role changed), {@code organization <id>} when an organization was renamed or
     * deleted. Caches of memberships drop what they hold about it.
     */
    public void onMembershipChanged(Consumer<String> listener) {
        membershipListeners.add(listener);
    }

    /** {@code listener} runs whenever this instance (re)subscribes and must forget what it may have missed. */
    public void onResync(Runnable listener) {
        resyncListeners.add(listener);
    }

    /**
     * Announces that session {@code sid} ended: every instance refuses its tokens until {@code denyUntil}
     * (epoch seconds; the expiry of the last token it could have). Applied here at once, then published.
     */
    public Uni<Void> publishSessionEnded(String sid, long denyUntil) {
        endedSessions.deny(sid, denyUntil);
        return redis.pubsub(String.class).publish(CHANNEL, "session " + sid + " " + denyUntil);
    }

    /**
     * Announces that API key {@code keyId} changed: every instance drops what it cached about it. With
     * {@code denyUntil > 0} (a revoked key) tokens exchanged from it are refused until then too.
     */
    public Uni<Void> publishKeyChanged(String keyId, long denyUntil) {
        applyKey(keyId, denyUntil);
        return redis.pubsub(String.class).publish(CHANNEL, "key " + keyId + " " + denyUntil);
    }

    /**
     * Announces (tenant-service, after the change committed) that {@code subject}, {@code user <id>} or
     * {@code organization <id>}, changed: every instance drops the memberships it cached about it.
     */
    public Uni<Void> publishMembershipChanged(String subject) {
        if (!subject.matches("(user|organization) [0-9a-f-]{36}")) {
            return Uni.createFrom().failure(new IllegalArgumentException("not a membership subject: " + subject));
        }
        membershipListeners.forEach(listener -> listener.accept(subject));
        return redis.pubsub(String.class).publish(CHANNEL, "member " + subject.replace(' ', ':') + " 0");
    }

    /**
     * Whether this instance is still up. A start that fails after this bean started (identity with a wrong KEK)
     * stops the CDI container without a ShutdownEvent, while the subscription may still complete in the
     * background: its callbacks then do nothing, rather than log an error that hides the start's real cause.
     */
    private boolean running() {
        if (stopped) {
            return false;
        }
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            stopped = true;
            return false;
        }
        return true;
    }

    private void tick() {
        if (!running()) {
            return;
        }
        if (++ticks % 60 == 0) {
            long now = Instant.now().getEpochSecond();
            endedSessions.expire(now);
            deniedKeys.expire(now);
            deniedTokens.expire(now);
        }
        if (subscriber == null) {
            connect();
            return;
        }
        if (sent.get() - heard.get() > MISSED_HEARTBEATS) {
            lost("no heartbeat heard back for " + MISSED_HEARTBEATS + " s");
            connect();
            return;
        }
        long n = sent.incrementAndGet();
        redis.pubsub(String.class).publish(CHANNEL, "ping " + instance + " " + n)
                .subscribe().with(ignored -> { }, failure -> { });
    }

    private void connect() {
        if (!running() || !connecting.compareAndSet(false, true)) {
            return;
        }
        long mine = generation.incrementAndGet();
        redis.pubsub(String.class)
                .subscribe(CHANNEL, this::onMessage, () -> lost(mine, "connection ended"), e -> lost(mine, e.toString()))
                .flatMap(s -> {
                    subscriber = s;
                    heard.set(sent.get());
                    return resync();
                })
                .subscribe().with(ignored -> {
                    connecting.set(false);
                    if (!running()) {
                        drop();
                    } else if (subscriber != null && generation.get() == mine) {
                        trusted = true;
                        Log.infof("revocations: subscribed to %s; caches trusted", CHANNEL);
                    }
                }, failure -> {
                    connecting.set(false);
                    Log.debugf("revocations: cannot subscribe yet: %s", failure.toString());
                    drop();
                });
    }

    private Uni<Void> resync() {
        long since = Instant.now().minus(window).getEpochSecond();
        return resyncDeniedTokens(since).chain(() -> sessionLookup.get().endedSince(since)).flatMap(ended -> {
            ended.forEach((sid, until) -> endedSessions.deny(sid, until));
            return resyncKeys(since);
        }).map(ignored -> {
            remoteAnswers.invalidateAll();
            resyncListeners.forEach(Runnable::run);
            return null;
        });
    }

    /**
     * Reloads the keys denied since {@code since} from apikey-service's PostgreSQL (not from Redis, which may have
     * been restarted empty, and not from announcements, which may never have been published).
     */
    private Uni<Void> resyncKeys(long since) {
        return keyLookup.get().deniedSince(since).invoke(denied -> denied.forEach(deniedKeys::deny)).replaceWithVoid();
    }

    /** Reloads revoked tokens and clients from identity's PostgreSQL, the record, before trusting the caches. */
    private Uni<Void> resyncDeniedTokens(long since) {
        return sessionLookup.get().deniedSince(since).invoke(deniedTokens::addAll).replaceWithVoid();
    }

    private void lost(long which, String why) {
        if (generation.get() == which) {
            lost(why);
        }
    }

    private void lost(String why) {
        generation.incrementAndGet();
        if (trusted) {
            Log.warnf("revocations: lost the subscription to %s (%s): checking sessions and keys at their source"
                    + " until it is back", CHANNEL, why);
        }
        trusted = false;
        drop();
    }

    private void drop() {
        trusted = false;
        ReactiveRedisSubscriber old = subscriber;
        subscriber = null;
        if (old != null) {
            try {
                old.unsubscribe().subscribe().with(ignored -> { }, failure -> { });
            } catch (RuntimeException e) {
                // The container is gone (a failed start): the connection closes with the process.
                Log.debugf("revocations: unsubscribe after stop: %s", e.toString());
            }
        }
    }

    private void onMessage(String message) {
        String[] parts = message.split(" ");
        if (parts.length != 3) {
            return;
        }
        switch (parts[0]) {
            case "ping" -> {
                if (instance.equals(parts[1])) {
                    heard.accumulateAndGet(parseLong(parts[2]), Math::max);
                }
            }
            case "session" -> endedSessions.deny(parts[1], parseLong(parts[2]));
            case "key" -> applyKey(parts[1], parseLong(parts[2]));
            case DeniedTokens.TOKEN, DeniedTokens.CLIENT -> deniedTokens.apply(parts[0], parts[1], parts[2]);
            case "member" -> membershipListeners.forEach(listener -> listener.accept(parts[1].replace(':', ' ')));
            default -> {
            }
        }
    }

    private void applyKey(String keyId, long denyUntil) {
        if (denyUntil > 0) {
            deniedKeys.deny(keyId, denyUntil);
        }
        keyListeners.forEach(listener -> listener.accept(keyId));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
