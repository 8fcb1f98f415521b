package dev.latchkey.common.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Groups the hot path's writes: each item is queued, and whenever fewer than {@code maxInFlight} writes are
 * running, the queue is handed to {@code write} in one batch of at most {@code maxBatch} items. With no load an
 * item is written at once, alone; under load, items arriving while writes are in flight share the next one. An
 * item's {@link Uni} completes with its own result when its batch's write has completed (never before), or fails
 * with the batch's failure, on the Vert.x context it was submitted on.
 * <p>
 * Why: each write costs a round trip, and on a hot path the round trip, not the work at the other end, was most of
 * the cost (a system call to send, one to receive, a wake-up of an event loop on each side, and at the other end
 * the same again; for a PostgreSQL write also a commit and its WAL flush). One batch pays that once for all of its
 * items. Used by webhook-gateway's inbox and replay reservations and by identity-service's refresh rotations.
 * {@code write} gets bare Vert.x futures rather than Unis so that its completion is not wrapped per operator.
 *
 * @param <T> what is written
 * @param <R> each item's result; {@code write} answers one per item, in the items' order
 */
public final class Batcher<T, R> {

    /** An item, whom to answer, and the Vert.x context it was submitted on (null off any context). */
    private record Pending<T, R>(T item, UniEmitter<? super R> emitter, Context context) {

        void complete(R result) {
            onOwnContext(() -> emitter.complete(result));
        }

        void fail(Throwable failure) {
            onOwnContext(() -> emitter.fail(failure));
        }

        /**
         * A batch completes on the context of whichever request's write it was; each item must go on where it came
         * from, or the request's continuation would run on another request's context and share its context-local
         * state (Hibernate Reactive keeps the request's session there).
         */
        private void onOwnContext(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }

    private final int maxBatch;
    private final int maxInFlight;
    private final Function<List<T>, Future<List<R>>> write;
    private final ConcurrentLinkedQueue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public Batcher(int maxBatch, int maxInFlight, Function<List<T>, Future<List<R>>> write) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("batches need at least one item and one write in flight");
        }
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.write = write;
    }

    public Uni<R> submit(T item) {
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending<>(item, emitter, Vertx.currentContext()));
            drain();
        });
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int current = inFlight.get();
            if (current >= maxInFlight) {
                return; // a finishing write drains again
            }
            if (!inFlight.compareAndSet(current, current + 1)) {
                continue;
            }
            List<Pending<T, R>> batch = new ArrayList<>(Math.min(maxBatch, 64));
            Pending<T, R> next;
            while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            start(batch);
        }
    }

    private void start(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> pending : batch) {
            items.add(pending.item());
        }
        Future<List<R>> written;
        try {
            written = write.apply(items);
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        written.onComplete(result -> {
            inFlight.decrementAndGet();
            drain();
            if (result.succeeded() && result.result().size() == batch.size()) {
                List<R> results = result.result();
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).complete(results.get(i));
                }
            } else {
                Throwable failure = result.succeeded()
                        ? new IllegalStateException(result.result().size() + " results for " + batch.size() + " items")
                        : result.cause();
                for (Pending<T, R> pending : batch) {
                    pending.fail(failure);
                }
            }
        });
    }
}
