package dev.latchkey.common.batch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

class BatcherTest {

    private final Vertx vertx = Vertx.vertx();
    /** Every write the batcher started, with the promise that ends it. */
    private final List<Write> writes = new CopyOnWriteArrayList<>();

    private record Write(List<Integer> items, Promise<List<String>> promise) {
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Future<List<String>> write(List<Integer> items) {
        Promise<List<String>> promise = Promise.promise();
        writes.add(new Write(List.copyOf(items), promise));
        return promise.future();
    }

    private static List<String> answers(List<Integer> items) {
        return items.stream().map(i -> "r" + i).toList();
    }

    private static <R> CompletableFuture<R> start(Uni<R> uni) {
        return uni.subscribeAsCompletionStage();
    }

    @Test
    void withNoLoadAnItemIsWrittenAtOnceAlone() throws Exception {
        Batcher<Integer, String> batcher = new Batcher<>(10, 1, this::write);
        CompletableFuture<String> one = start(batcher.submit(1));
        assertEquals(1, writes.size());
        assertEquals(List.of(1), writes.get(0).items());
        writes.get(0).promise().complete(List.of("r1"));
        assertEquals("r1", one.get(5, TimeUnit.SECONDS));
    }

    @Test
    void itemsArrivingDuringAWriteShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        Batcher<Integer, String> batcher = new Batcher<>(3, 1, this::write);
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            results.add(start(batcher.submit(i)));
        }
        assertEquals(1, writes.size(), "one write in flight at most");
        assertTrue(results.stream().noneMatch(CompletableFuture::isDone), "nothing answers before its write ends");
        writes.get(0).promise().complete(answers(writes.get(0).items()));
        assertEquals("r1", results.get(0).get(5, TimeUnit.SECONDS));
        // The five waiting items go out in batches of at most three, in order.
        assertEquals(List.of(2, 3, 4), writes.get(1).items());
        writes.get(1).promise().complete(answers(writes.get(1).items()));
        assertEquals(List.of(5, 6), writes.get(2).items());
        writes.get(2).promise().complete(answers(writes.get(2).items()));
        for (int i = 0; i < 6; i++) {
            assertEquals("r" + (i + 1), results.get(i).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFailedWriteFailsItsOwnItemsOnlyAndTheNextBatchStillGoesOut() throws Exception {
        Batcher<Integer, String> batcher = new Batcher<>(10, 1, this::write);
        CompletableFuture<String> first = start(batcher.submit(1));
        CompletableFuture<String> second = start(batcher.submit(2));
        writes.get(0).promise().fail(new IllegalStateException("connection reset"));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertEquals("connection reset", failed.getCause().getMessage());
        writes.get(1).promise().complete(List.of("r2"));
        assertEquals("r2", second.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aWriteAnsweringTheWrongNumberOfResultsFailsItsItemsRatherThanMisattributing() {
        Batcher<Integer, String> batcher = new Batcher<>(10, 1, this::write);
        CompletableFuture<String> first = start(batcher.submit(1));
        CompletableFuture<String> second = start(batcher.submit(2));
        CompletableFuture<String> third = start(batcher.submit(3));
        writes.get(0).promise().complete(List.of("r1"));
        writes.get(1).promise().complete(List.of("r2")); // two items, one result
        assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
        assertThrows(ExecutionException.class, () -> third.get(5, TimeUnit.SECONDS));
        assertEquals("r1", first.join());
    }

    @Test
    void aThrowingWriteFailsItsItemsAndFreesItsSlot() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Batcher<Integer, String> batcher = new Batcher<>(10, 1, items -> {
            seen.addAll(items);
            if (items.contains(1)) {
                throw new IllegalArgumentException("bad item");
            }
            return Future.succeededFuture(answers(items));
        });
        assertThrows(ExecutionException.class, () -> start(batcher.submit(1)).get(5, TimeUnit.SECONDS));
        assertEquals("r2", start(batcher.submit(2)).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2), seen);
    }

    /**
     * A batch ends on the context of the request whose write it was; every other item must be answered on its own
     * request's context, where that request keeps its state (Hibernate Reactive's session, for one).
     */
    @Test
    void eachItemIsAnsweredOnTheContextItWasSubmittedOn() throws Exception {
        Batcher<Integer, String> batcher = new Batcher<>(10, 1, this::write);
        int requests = 5;
        List<Context> contexts = new ArrayList<>();
        List<CompletableFuture<Context>> answeredOn = new ArrayList<>();
        java.util.concurrent.CountDownLatch submitted = new java.util.concurrent.CountDownLatch(requests);
        for (int i = 0; i < requests; i++) {
            Context context = ((io.vertx.core.impl.ContextInternal) vertx.getOrCreateContext()).duplicate();
            contexts.add(context);
            CompletableFuture<Context> where = new CompletableFuture<>();
            answeredOn.add(where);
            int item = i;
            context.runOnContext(ignored -> {
                batcher.submit(item).subscribe().with(result -> where.complete(Vertx.currentContext()),
                        where::completeExceptionally);
                submitted.countDown();
            });
        }
        assertTrue(submitted.await(5, TimeUnit.SECONDS));
        assertEquals(1, writes.size());
        // The first write ends on a context of its own; the others, batched, end with the second write.
        Context other = ((io.vertx.core.impl.ContextInternal) vertx.getOrCreateContext()).duplicate();
        other.runOnContext(ignored -> writes.get(0).promise().complete(answers(writes.get(0).items())));
        await().atMost(Duration.ofSeconds(5)).until(() -> writes.size() == 2);
        other.runOnContext(ignored -> writes.get(1).promise().complete(answers(writes.get(1).items())));
        for (int i = 0; i < requests; i++) {
            assertSame(contexts.get(i), answeredOn.get(i).get(5, TimeUnit.SECONDS), "request " + i);
        }
    }
}
