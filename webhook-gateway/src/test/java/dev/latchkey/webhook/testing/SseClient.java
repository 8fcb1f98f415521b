package dev.latchkey.webhook.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A minimal Server-Sent Events reader over java.net.http: collects events (id + data) as they arrive. */
public final class SseClient implements AutoCloseable {

    public record Event(String id, String name, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    public SseClient(String url, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            status = r.statusCode();
            Thread reader = new Thread(() -> read(r.body()), "sse-reader");
            reader.setDaemon(true);
            reader.start();
        });
    }

    private void read(Stream<String> lines) {
        String[] current = new String[3];
        try {
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (current[2] != null) {
                        events.add(new Event(current[0], current[1], current[2]));
                    }
                    current[0] = current[1] = current[2] = null;
                } else if (line.startsWith("id:")) {
                    current[0] = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    current[1] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    current[2] = (current[2] == null ? "" : current[2] + "\n") + line.substring(5).trim();
                }
            });
        } catch (RuntimeException closed) {
            // the stream was closed
        }
    }

    /** Waits until the response headers arrived; returns the status. */
    public int status() throws Exception {
        response.get(10, TimeUnit.SECONDS);
        return status;
    }

    /** The next {@code n} events, waiting at most {@code timeout} in all; fewer if they do not come. */
    public List<Event> take(int n, Duration timeout) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            Event next = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            out.add(next);
        }
        return out;
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(r -> r.body().close());
    }
}
