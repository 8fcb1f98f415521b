package dev.latchkey.common.client;

import io.smallrye.mutiny.Uni;

/** Calls from one Latchkey service to another. */
public final class Outbound {

    private Outbound() {
    }

    /**
     * Runs {@code call} so that cancelling the returned Uni does not cancel the call. When a caller hangs up,
     * Quarkus cancels its request's pipeline; a cancelled REST-client request resets the pooled HTTP/1.1
     * connection it was using, and requests of other callers that were about to use that connection fail
     * with "Connection was closed" (seen under load when wrk stopped). Letting the call finish keeps the
     * connection healthy; its result is simply dropped.
     */
    public static <T> Uni<T> detached(Uni<T> call) {
        return Uni.createFrom().emitter(emitter -> call.subscribe().with(emitter::complete, emitter::fail));
    }
}
