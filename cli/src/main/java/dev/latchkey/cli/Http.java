package dev.latchkey.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * HTTP to the Latchkey services with java.net.http: JSON and form bodies, bounded waits, and every way a call can
 * fail turned into a {@link CliException} with the right exit code. Secrets travel in headers and bodies only,
 * never in a URL, and never appear in a message.
 */
public final class Http {

    /** The answer: status and body (parsed when it is JSON). */
    public record Response(int status, JsonNode json, String text) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The error code of a Latchkey error body ({@code code}) or of an OAuth error body ({@code error}). */
        public String code() {
            String code = Json.text(json, "code");
            return code != null ? code : Json.text(json, "error");
        }

        public String message() {
            String message = Json.text(json, "message");
            if (message == null) {
                message = Json.text(json, "error_description");
            }
            return message != null ? message : "HTTP " + status;
        }
    }

    private static final Set<String> DEAD_KEY = Set.of("api_key_revoked", "api_key_expired", "invalid_api_key");

    private final HttpClient client;
    private final Duration callTimeout;

    public Http(Duration connectTimeout, Duration callTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.callTimeout = callTimeout;
    }

    public Http() {
        this(Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public Response get(String url, String bearer) {
        return send(request(url, bearer).GET().build());
    }

    public Response delete(String url, String bearer) {
        return send(request(url, bearer).DELETE().build());
    }

    public Response postJson(String url, String bearer, JsonNode body) {
        return send(request(url, bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build());
    }

    public Response postForm(String url, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> {
            if (value != null) {
                body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return send(request(url, null).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
    }

    private HttpRequest.Builder request(String url, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(callTimeout)
                .header("Accept", "application/json").header("User-Agent", "latchkey-cli/" + Latchkey.version());
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        String origin = origin(request.uri());
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), Json.parseOrNull(response.body()), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(origin, "the connection timed out");
        } catch (HttpTimeoutException e) {
            throw new CliException(Exit.UNREACHABLE, "server_timeout", origin + " did not answer within "
                    + callTimeout.toSeconds() + " s. Try again; if it persists, check the server.");
        } catch (ConnectException e) {
            throw unreachable(origin, "the connection was refused");
        } catch (IllegalArgumentException e) {
            throw unreachable(origin, "the address cannot be resolved");
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e.getCause() instanceof UnresolvedAddressException) {
                reason = "the address cannot be resolved";
            }
            throw unreachable(origin, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Exit.ERROR, "interrupted", "Interrupted.");
        }
    }

    private static CliException unreachable(String origin, String reason) {
        return new CliException(Exit.UNREACHABLE, "server_unreachable", "Cannot reach " + origin + ": " + reason
                + ". Is the server running, and is the URL right (--server)?");
    }

    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /**
     * The failure for an unsuccessful answer to {@code what} ("creating the API key"): a key that no longer works
     * (exit 7), denied (5), a service unavailable (4), anything else (1).
     */
    public static CliException failure(Response r, String what) {
        String code = r.code() == null ? "http_" + r.status() : r.code();
        if (r.status() == 401 && DEAD_KEY.contains(code)) {
            String why = switch (code) {
                case "api_key_revoked" -> "was revoked";
                case "api_key_expired" -> "has expired";
                default -> "is not known to the server";
            };
            return new CliException(Exit.KEY_INVALID, code, "The stored API key " + why
                    + " (revoked elsewhere, or by another logout?). Run `latchkey login` to get a new one.");
        }
        if (r.status() == 401) {
            return new CliException(Exit.KEY_INVALID, code, "Not accepted while " + what + ": " + r.message()
                    + ". Run `latchkey login` again.");
        }
        if (r.status() == 403) {
            return new CliException(Exit.DENIED, code, "Denied while " + what + ": " + r.message());
        }
        if (r.status() == 502 || r.status() == 503 || r.status() == 504) {
            return new CliException(Exit.UNREACHABLE, code, "A Latchkey service is unavailable while " + what
                    + ": " + r.message() + ". Try again shortly.");
        }
        return new CliException(Exit.ERROR, code, "Failed while " + what + ": " + r.message() + " (HTTP "
                + r.status() + ")");
    }
}
