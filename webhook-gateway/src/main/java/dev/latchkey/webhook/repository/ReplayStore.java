package dev.latchkey.webhook.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.batch.Batcher;
import dev.latchkey.webhook.replay.ReplayOutcome;
import dev.latchkey.webhook.replay.Reservation;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Delivery-id reservations in Redis. One command per delivery, {@code SET key fingerprint NX GET EX ttl}
 * (Redis 7.0+): atomic, so of two identical deliveries racing on any replicas exactly one gets
 * {@link ReplayOutcome#FIRST}; the other sees the first one's fingerprint.
 * <p>
 * Reservations arriving while others are on their way are pipelined: sent together as one batch on one
 * connection ({@link Batcher}, at most {@value #IN_FLIGHT} batches at once). Each command stays atomic on its own;
 * a batch is only a way to pay one round trip for many. Redis executes a connection's commands one after another,
 * so a few batches in flight keep it busy and let the rest gather.
 */
@ApplicationScoped
public class ReplayStore {

    static final int IN_FLIGHT = 2;
    static final int MAX_BATCH = 256;

    private final Redis redis;
    private final Batcher<Reservation, ReplayOutcome> reservations;

    public ReplayStore(ReactiveRedisDataSource redis) {
        this.redis = redis.getRedis().getDelegate();
        this.reservations = new Batcher<>(MAX_BATCH, IN_FLIGHT, this::reserveAll);
    }

    /** Reserves the delivery id; fails when Redis does (the caller refuses the delivery then). */
    public Uni<ReplayOutcome> reserve(Reservation reservation) {
        return reservations.submit(reservation);
    }

    private Future<List<ReplayOutcome>> reserveAll(List<Reservation> batch) {
        List<Request> commands = new ArrayList<>(batch.size());
        for (Reservation reservation : batch) {
            commands.add(Request.cmd(Command.SET).arg(reservation.key()).arg(reservation.fingerprint())
                    .arg("NX").arg("GET").arg("EX").arg(reservation.ttl().toSeconds()));
        }
        Future<List<Response>> sent = commands.size() == 1
                ? redis.send(commands.get(0)).map(response -> {
                    List<Response> one = new ArrayList<>(1);
                    one.add(response);
                    return one;
                })
                : redis.batch(commands);
        return sent.map(responses -> {
            List<ReplayOutcome> outcomes = new ArrayList<>(responses.size());
            for (int i = 0; i < responses.size(); i++) {
                Response previous = responses.get(i);
                outcomes.add(batch.get(i).judge(previous == null ? null : previous.toString()));
            }
            return outcomes;
        });
    }
}
