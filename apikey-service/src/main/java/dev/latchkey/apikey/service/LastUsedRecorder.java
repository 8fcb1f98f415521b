package dev.latchkey.apikey.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.apikey.config.ApiKeyConfig;
import dev.latchkey.apikey.repository.KeyVerificationStore;
import dev.latchkey.common.auth.ApiKeys;
import dev.latchkey.common.auth.AuthConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * Moves last-used times from Redis to PostgreSQL in batches. Every service records the keys it saw in the Redis
 * hash {@code latchkey:apikeys:last-used} (common {@link ApiKeys}); every {@code last-used-flush-interval}
 * one instance of apikey-service takes the whole hash at once (a script reads and deletes it atomically, so
 * replicas never take the same uses twice) and writes it with one {@code UPDATE}. If that write fails, the
 * times go back into the hash (never replacing a later one) for the next round.
 */
@ApplicationScoped
public class LastUsedRecorder {

    private static final String TAKE = "local v = redis.call('HGETALL', KEYS[1]) redis.call('DEL', KEYS[1]) return v";
    private static final String PUT_BACK = "for i = 1, #ARGV, 2 do local c = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))"
            + " if c == nil or c < tonumber(ARGV[i + 1]) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end end"
            + " return 1";

    private final ReactiveRedisDataSource redis;
    private final KeyVerificationStore keys;
    private final Vertx vertx;
    private final ApiKeyConfig config;
    private final String hash;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public LastUsedRecorder(ReactiveRedisDataSource redis, KeyVerificationStore keys, Vertx vertx, ApiKeyConfig config,
            AuthConfig auth) {
        this.redis = redis;
        this.keys = keys;
        this.vertx = vertx;
        this.config = config;
        this.hash = auth.lastUsedHash();
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.lastUsedFlushInterval().toMillis(), id -> flush());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void flush() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        redis.execute("EVAL", TAKE, "1", hash)
                .flatMap(this::write)
                .subscribe().with(ignored -> running.set(false), failure -> {
                    running.set(false);
                    Log.debugf("last-used times not moved yet: %s", failure.toString());
                });
    }

    private Uni<Void> write(Response taken) {
        List<UUID> ids = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        // RESP2 answers a flat list (field, value, ...), RESP3 may answer a map.
        if (taken != null && taken.isMap()) {
            for (String field : taken.getKeys()) {
                add(field, taken.get(field).toString(), ids, times, raw);
            }
        } else {
            for (int i = 0; taken != null && i + 1 < taken.size(); i += 2) {
                add(taken.get(i).toString(), taken.get(i + 1).toString(), ids, times, raw);
            }
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return keys.recordLastUsed(ids, times).replaceWithVoid().onFailure().recoverWithUni(e -> {
            Log.warnf("last-used times of %d keys not written to PostgreSQL (%s); kept in Redis for the next round",
                    ids.size(), e.toString());
            List<String> args = new ArrayList<>();
            args.add(PUT_BACK);
            args.add("1");
            args.add(hash);
            args.addAll(raw);
            return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
        });
    }

    private static void add(String field, String value, List<UUID> ids, List<Long> times, List<String> raw) {
        try {
            UUID id = UUID.fromString(field);
            long at = Long.parseLong(value);
            ids.add(id);
            times.add(at);
            raw.add(field);
            raw.add(value);
        } catch (IllegalArgumentException e) {
            // Not a key id and an epoch second: nothing a Latchkey service writes; drop it.
        }
    }
}
