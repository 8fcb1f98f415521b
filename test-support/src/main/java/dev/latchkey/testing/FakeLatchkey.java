package dev.latchkey.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Plays the other Latchkey services for one service's tests, over real HTTP on loopback: it always serves
 * the test JWKS, and tests add the endpoints they need with {@link #on}. Its base URL is published as
 * {@code latchkey.fake.url}, which each service's {@code %test} configuration points its clients at.
 */
public class FakeLatchkey implements QuarkusTestResourceLifecycleManager {

    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    public record Response(int status, String json) {
    }

    private static final Map<String, Function<Request, Response>> HANDLERS = new ConcurrentHashMap<>();
    private static final List<Request> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    /**
     * Answers {@code method path} with {@code handler} until {@link #reset()}. A path ending in {@code *} answers
     * every path under that prefix.
     */
    public static void on(String method, String path, Function<Request, Response> handler) {
        HANDLERS.put(method + " " + path, handler);
    }

    /** Requests received since the last {@link #reset()}. */
    public static List<Request> received() {
        return List.copyOf(RECEIVED);
    }

    /**
     * Forgets the tests' handlers and requests, and answers again what every service needs from the others
     * by default: identity's JWKS, its client-credentials grant (a service token with every internal scope),
     * and "no session has ended, no token was revoked, no key was denied" for the revocation resync.
     */
    public static void reset() {
        HANDLERS.clear();
        RECEIVED.clear();
        publishRotatedKey(false);
        on("POST", "/v1/oauth/token", r -> new Response(200, "{\"access_token\":\"" + TestTokens.service("fake",
                ALL_INTERNAL_SCOPES).sign() + "\",\"token_type\":\"Bearer\",\"expires_in\":900}"));
        on("GET", "/internal/v1/sessions/ended", r -> new Response(200, "{\"sessions\":[]}"));
        on("GET", "/internal/v1/keys/denied", r -> new Response(200, "{\"keys\":[]}"));
        on("GET", "/internal/v1/sessions/denied", r -> new Response(200, "{\"tokens\":[],\"clients\":[]}"));
        on("GET", "/internal/v1/sessions/*", r -> new Response(200, "{\"active\":true,\"deny_until\":0}"));
    }

    /** Every internal scope a Latchkey service may hold. */
    public static final String[] ALL_INTERNAL_SCOPES = { "internal:apikeys.create", "internal:apikeys.verify",
            "internal:apikeys.revoke", "internal:sessions.read", "internal:sessions.end", "internal:memberships.read",
            "internal:memberships.write", "internal:audit.write" };

    /** Whether the JWKS also lists {@link TestTokens#ROTATED_KID}, as after a key rotation. */
    public static void publishRotatedKey(boolean publish) {
        on("GET", "/.well-known/jwks.json", r -> new Response(200, TestTokens.jwks(publish)));
    }

    @Override
    public Map<String, String> start() {
        reset();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", FakeLatchkey::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("latchkey.fake.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body);
        RECEIVED.add(request);
        Function<Request, Response> handler = HANDLERS.get(request.method() + " " + request.path());
        if (handler == null) {
            // "GET /internal/v1/sessions/*" answers every path under that prefix; the longest prefix wins.
            String route = request.method() + " " + request.path();
            handler = HANDLERS.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("*") && route.startsWith(e.getKey().substring(0, e.getKey().length() - 1)))
                    .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
                    .map(Map.Entry::getValue).orElse(null);
        }
        Response response = handler == null ? new Response(404, "{\"error\":\"Not Found\",\"code\":\"not_found\"}")
                : handler.apply(request);
        byte[] bytes = response.json().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
