package dev.latchkey.webhook.service;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import dev.latchkey.webhook.config.WebhookConfig;
import dev.latchkey.webhook.domain.InboxEvent;
import dev.latchkey.webhook.repository.IngestionInbox;
import dev.latchkey.webhook.domain.InboxPosition;
import dev.latchkey.webhook.repository.Notifications;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;

/**
 * Live event streams. A stream remembers the {@link InboxPosition} of the last event it delivered and, whenever it is
 * woken, reads the inbox past it (a page at a time). It is woken when a commit on any replica notifies its
 * organization (PostgreSQL LISTEN/NOTIFY), after the notification connection was re-established, and every
 * {@code stream-poll-interval} regardless; so a lost notification delays an event, never drops it. Positions
 * only move past finished transactions (see IngestionInbox), so reading past the last one never skips an event;
 * resuming with {@code Last-Event-ID} is the same read from the client's last position.
 */
@Singleton
public class EventStreams {

    static final int PAGE = 100;
    /** How soon a stream reads again when a notified transaction is not yet behind every running one. */
    static final long HELD_BACK_RETRY_MILLIS = 25;
    /** How many such retries per notification, at most (then the periodic poll takes over). */
    static final int HELD_BACK_RETRIES = 400;

    private final IngestionInbox inbox;
    private final Vertx vertx;
    private final long pollMillis;
    private final ConcurrentHashMap<String, Set<Stream>> byOrganization = new ConcurrentHashMap<>();

    public EventStreams(IngestionInbox inbox, Notifications notifications, Vertx vertx, WebhookConfig config) {
        this.inbox = inbox;
        this.vertx = vertx;
        this.pollMillis = Math.max(100, config.streamPollInterval().toMillis());
        notifications.onEvents(this::notified);
        notifications.onCatchUp(() -> byOrganization.values().forEach(streams -> streams.forEach(Stream::wake)));
    }

    /** Events of the organization after {@code after}, then new ones as they are committed, until cancelled. */
    public Multi<InboxEvent> follow(UUID organizationId, InboxPosition after, String provider, String type) {
        return Multi.createFrom().emitter(emitter -> {
            Stream stream = new Stream(organizationId, after, provider, type, emitter);
            Set<Stream> streams = byOrganization.computeIfAbsent(organizationId.toString(),
                    k -> ConcurrentHashMap.newKeySet());
            streams.add(stream);
            long timer = vertx.setPeriodic(pollMillis, id -> stream.wake());
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                streams.remove(stream);
            });
            stream.wake();
        });
    }

    /** How many streams of the organization this replica is serving now. */
    public int following(String organizationId) {
        Set<Stream> streams = byOrganization.get(organizationId);
        return streams == null ? 0 : streams.size();
    }

    /** {@code payload} is {@code <organization>:<transaction id>} (see IngestionInbox). */
    private void notified(String payload) {
        int colon = payload.indexOf(':');
        String organizationId = colon < 0 ? payload : payload.substring(0, colon);
        long tx;
        try {
            tx = colon < 0 ? 0 : Long.parseLong(payload.substring(colon + 1));
        } catch (NumberFormatException e) {
            tx = 0;
        }
        Set<Stream> streams = byOrganization.get(organizationId);
        if (streams != null) {
            long committed = tx;
            streams.forEach(stream -> stream.wakeFor(committed));
        }
    }

    private final class Stream {
        private final UUID organizationId;
        private final String provider;
        private final String type;
        private final MultiEmitter<? super InboxEvent> emitter;
        private final AtomicBoolean reading = new AtomicBoolean();
        private final AtomicBoolean wokenWhileReading = new AtomicBoolean();
        private volatile InboxPosition last;
        /** The newest transaction this stream was told of; it reads again soon until it has passed it. */
        private volatile long wanted;
        private volatile int retries;

        Stream(UUID organizationId, InboxPosition after, String provider, String type, MultiEmitter<? super InboxEvent> emitter) {
            this.organizationId = organizationId;
            this.last = after;
            this.provider = provider;
            this.type = type;
            this.emitter = emitter;
        }

        void wakeFor(long tx) {
            if (tx > wanted) {
                wanted = tx;
                retries = 0;
            }
            wake();
        }

        void wake() {
            wokenWhileReading.set(true);
            if (reading.compareAndSet(false, true)) {
                read();
            }
        }

        private void read() {
            wokenWhileReading.set(false);
            if (emitter.isCancelled()) {
                reading.set(false);
                return;
            }
            inbox.streamAfter(organizationId, last, provider, type, PAGE)
                    .subscribe().with(this::deliver, failure -> done());
        }

        private void deliver(List<InboxEvent> events) {
            for (InboxEvent event : events) {
                if (emitter.isCancelled()) {
                    break;
                }
                emitter.emit(event);
                last = InboxPosition.of(event);
            }
            if (events.size() == PAGE) {
                read();
            } else {
                done();
            }
        }

        private void done() {
            reading.set(false);
            if (wokenWhileReading.get() && reading.compareAndSet(false, true)) {
                read();
            } else if (last.tx() < wanted && retries < HELD_BACK_RETRIES && !emitter.isCancelled()) {
                // The notified commit is not yet behind every running transaction (or its events are filtered
                // out of this stream): look again shortly rather than at the next poll.
                retries++;
                vertx.setTimer(HELD_BACK_RETRY_MILLIS, id -> wake());
            }
        }
    }
}
