package dev.latchkey.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The loopback redirect of RFC 8252 §7.3: listens on {@code 127.0.0.1}, on a port the system picks, for exactly
 * one request to {@code /callback}. Nothing else on the machine's network can reach it. The browser's request is
 * held open until the CLI knows the outcome, so the tab ends on a page that tells the truth ("you can close this
 * tab", or why the login failed). Any later request, and any other path, gets 404.
 */
public final class LoopbackReceiver implements AutoCloseable {

    /** What the browser tab shows at the end. */
    public record Page(boolean success, String title, String message) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean used = new AtomicBoolean();
    private final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
    private final CompletableFuture<Page> page = new CompletableFuture<>();

    public LoopbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>/callback}: registered for latchkey-cli without a port, matched on any. */
    public String redirectUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** The query parameters of the one callback; throws TimeoutException when none came within {@code wait}. */
    public Map<String, String> await(Duration wait) throws TimeoutException, InterruptedException {
        try {
            return callback.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** What the waiting browser tab shows; call once the outcome is known. */
    public void finish(Page result) {
        page.complete(result);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!"GET".equals(exchange.getRequestMethod()) || !"/callback".equals(path) || !used.compareAndSet(false, true)) {
                respond(exchange, 404, new Page(false, "Not found", "This address answers one sign-in only."));
                return;
            }
            callback.complete(query(exchange.getRequestURI().getRawQuery()));
            Page result;
            try {
                result = page.get(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = new Page(false, "Interrupted", "The CLI stopped. Check your terminal.");
            } catch (ExecutionException | TimeoutException e) {
                result = new Page(false, "No answer", "The CLI did not finish. Check your terminal.");
            }
            respond(exchange, 200, result);
        }
    }

    private static void respond(HttpExchange exchange, int status, Page p) throws IOException {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(p.title())
                + " · Latchkey CLI</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;"
                + "padding:0 1rem;color:#1f2328}h1{font-size:1.4rem}.ok{color:#1a7f37}.fail{color:#cf222e}</style>"
                + "</head><body><h1 id=\"" + (p.success() ? "done" : "failed") + "\" class=\"" + (p.success() ? "ok" : "fail")
                + "\">" + escape(p.title()) + "</h1><p id=\"message\">" + escape(p.message()) + "</p></body></html>";
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        // Nothing on this page runs, loads or may be framed; the browser keeps no copy.
        exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                + "frame-ancestors 'none'");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.getResponseHeaders().add("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            // A parameter sent twice is ambiguous: keep neither (the state check then fails).
            if (params.putIfAbsent(name, value) != null) {
                params.put(name, null);
            }
        }
        return params;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    @Override
    public void close() {
        page.complete(new Page(false, "Stopped", "The CLI stopped. Check your terminal."));
        server.stop(1);
        executor.shutdownNow();
    }
}
