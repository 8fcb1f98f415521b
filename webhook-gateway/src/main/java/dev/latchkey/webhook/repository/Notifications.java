package dev.latchkey.webhook.repository;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * One PostgreSQL connection per replica that LISTENs for what other replicas (and this one) commit: new inbox
 * events per organization, and provider changes. This is how a stream connected to one replica hears of a
 * delivery accepted by another. The connection is re-established for ever, a second apart; whenever it
 * (re)subscribes, listeners are told to catch up from the tables, since notifications sent while it was down are
 * lost.
 */
@ApplicationScoped
public class Notifications {

    public static final String PROVIDERS_CHANNEL = "latchkey_webhook_providers";

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final List<Consumer<String>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> providerListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> catchUpListeners = new CopyOnWriteArrayList<>();
    private PgSubscriber subscriber;
    private volatile boolean stopped;

    public Notifications(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        this.options = PgConnectOptions.fromUri(uri).setUser(user).setPassword(password);
    }

    /** {@code listener} gets {@code <organization id>:<transaction id>} of each commit that added inbox events. */
    public void onEvents(Consumer<String> listener) {
        eventListeners.add(listener);
    }

    /** {@code listener} gets {@code <organization id>/<provider name>} of each committed provider change. */
    public void onProviderChange(Consumer<String> listener) {
        providerListeners.add(listener);
    }

    /** {@code listener} runs whenever notifications may have been missed (after every (re)connection). */
    public void onCatchUp(Runnable listener) {
        catchUpListeners.add(listener);
    }

    void start(@Observes StartupEvent start) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(IngestionInbox.EVENTS_CHANNEL)
                .handler(payload -> eventListeners.forEach(l -> l.accept(payload)))
                .subscribeHandler(() -> catchUpListeners.forEach(Runnable::run));
        subscriber.channel(PROVIDERS_CHANNEL)
                .handler(payload -> providerListeners.forEach(l -> l.accept(payload)))
                .subscribeHandler(() -> catchUpListeners.forEach(Runnable::run));
        connect();
    }

    private void connect() {
        subscriber.connect().subscribe().with(ok -> Log.debug("listening for inbox notifications"), failure -> {
            if (stopped) {
                return;
            }
            Log.warnf("cannot listen for inbox notifications yet (%s); retrying", failure.getMessage());
            vertx.setTimer(1000, id -> connect());
        });
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }
}
