package dev.latchkey.identity.service;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Runs blocking work (an upstream HTTP call) on a worker, then continues on the caller's Vert.x context. */
final class Blocking {

    private Blocking() {
    }

    static <T> Uni<T> call(Supplier<T> work) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Uni<T> on = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        // Hibernate Reactive and the REST layer expect the rest of the request on its own context.
        return context == null ? on : on.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
