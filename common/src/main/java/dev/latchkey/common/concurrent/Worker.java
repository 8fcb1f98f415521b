package dev.latchkey.common.concurrent;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The one way to run blocking work (a JWKS fetch, an upstream HTTP call, a password hash) off the event loop
 * and come back: the work runs on a worker pool, and its result (or failure) is delivered on the Vert.x
 * context of the caller, where the REST layer and Hibernate Reactive expect the rest of the request to run.
 * Called outside any Vert.x context (a plain test, a start-up hook), the result stays on the worker thread.
 */
public final class Worker {

    private Worker() {
    }

    /** Runs {@code work} on Quarkus' default worker pool. */
    public static <T> Uni<T> call(Supplier<T> work) {
        return call(Infrastructure.getDefaultWorkerPool(), work);
    }

    /**
     * Runs {@code work} on {@code pool}. A pool that refuses the task (a full bounded queue) fails the Uni with
     * its {@link java.util.concurrent.RejectedExecutionException}, for the caller to answer as it sees fit.
     */
    public static <T> Uni<T> call(Executor pool, Supplier<T> work) {
        Context caller = Vertx.currentContext();
        return resumeOn(caller, Uni.createFrom().item(work).runSubscriptionOn(pool));
    }

    /**
     * Delivers {@code uni}'s result on {@code context} (captured by the caller while it was on it), whatever
     * thread produced it; unchanged when {@code context} is null.
     */
    public static <T> Uni<T> resumeOn(Context context, Uni<T> uni) {
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
