package dev.latchkey.e2e.fuzz;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every answer to every request must satisfy: no 5xx; every 4xx with the JSON error body and a stable
 * code; nothing that reveals the implementation (a stack trace, an exception or package name, an HTML page)
 * anywhere in any answer; no success from an operation the OpenAPI document secures, for a request without
 * credentials.
 * <p>
 * One exception, decided by the request alone: a request that is not valid HTTP (its target is not a URI, a
 * header holds a control character, the head is over Vert.x' limits, the body framing is contradictory) is
 * refused by the HTTP layer before any Latchkey code runs, with an empty 400, 413, 414 or 431, or by closing
 * the connection. That is accepted for such requests only.
 */
final class Oracle {

    /** Names and shapes that only an implementation detail puts in an answer. */
    static final Pattern LEAK = Pattern.compile(
            "java\\.|javax\\.|jakarta\\.|io\\.quarkus|io\\.vertx|io\\.netty|io\\.smallrye|org\\.jboss|org\\.hibernate"
                    + "|com\\.fasterxml|org\\.postgresql|dev\\.latchkey\\.|Exception|Throwable|\\tat |\\n\\s+at "
                    + "|<html|<!DOCTYPE|SQLSTATE|stack ?trace",
            Pattern.CASE_INSENSITIVE);
    /**
     * The same in an HTML page an operation declares (identity's sign-in pages), where markup is the point: a
     * stack trace or an internal name is still a leak.
     */
    static final Pattern LEAK_IN_PAGES = Pattern.compile(LEAK.pattern().replace("|<html|<!DOCTYPE", ""),
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final int VERTX_MAX_INITIAL_LINE = 4096;
    private static final int VERTX_MAX_HEADER_SIZE = 8192;

    private final ObjectMapper json;

    Oracle(ObjectMapper json) {
        this.json = json;
    }

    /** The problems with {@code response} as the answer to {@code request}; empty when there are none. */
    List<String> judge(OpenApi.Operation operation, RawHttp.Request request, RawHttp.Response response) {
        List<String> problems = new ArrayList<>();
        boolean refusedByHttpLayer = notValidHttp(request);
        if (response == null) {
            if (!refusedByHttpLayer) {
                problems.add("the connection closed without an answer");
            }
            return problems;
        }
        int status = response.status();
        if (status >= 500) {
            problems.add("answered " + status);
        }
        if (status < 300 && operation.secured() && !request.has("Authorization") && !request.has("X-API-Key")
                && !request.method().equals("OPTIONS")) {
            problems.add("a secured operation answered " + status + " to a request without credentials");
        }
        for (RawHttp.Header header : response.headers()) {
            if (LEAK.matcher(header.value()).find()) {
                problems.add("header " + header.name() + " reveals internals: " + Printable.of(header.value(), 200));
            }
        }
        // A page operation may answer a browser with HTML, errors included (a sign-in form showing what went
        // wrong); a request that did not accept text/html still gets the JSON error body.
        boolean page = operation.pages() && String.valueOf(response.header("Content-Type")).startsWith("text/html");
        boolean browser = request.headers().stream()
                .anyMatch(h -> h.name().equalsIgnoreCase("Accept") && h.value().contains("text/html"));
        String text = response.text();
        var leak = (page ? LEAK_IN_PAGES : LEAK).matcher(text);
        if (leak.find()) {
            problems.add("the body reveals internals near '" + Printable.of(
                    text.substring(Math.max(0, leak.start() - 40), Math.min(text.length(), leak.end() + 40)), 120) + "'");
        }
        if (status >= 400 && !request.method().equals("HEAD")) {
            boolean emptyTransportRefusal = response.body().length == 0
                    && (status == 400 || status == 413 || status == 414 || status == 431);
            if (!(refusedByHttpLayer && emptyTransportRefusal) && !(page && browser)) {
                problems.addAll(errorBody(response));
            }
        }
        return problems;
    }

    private List<String> errorBody(RawHttp.Response response) {
        List<String> problems = new ArrayList<>();
        String type = String.valueOf(response.header("Content-Type"));
        if (!type.startsWith("application/json")) {
            problems.add("a " + response.status() + " with Content-Type " + type + " instead of the JSON error body");
            return problems;
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (java.io.IOException e) {
            problems.add("a " + response.status() + " whose body is not JSON: " + Printable.of(response.text(), 200));
            return problems;
        }
        if (body == null || !body.isObject()) {
            problems.add("a " + response.status() + " whose body is not a JSON object");
            return problems;
        }
        if (!body.path("code").isTextual() || !CODE.matcher(body.path("code").asText()).matches()) {
            problems.add("a " + response.status() + " without a snake_case code: " + Printable.of(body.toString(), 200));
        }
        for (String field : List.of("error", "message", "request_id")) {
            if (!body.path(field).isTextual()) {
                problems.add("a " + response.status() + " without '" + field + "': " + Printable.of(body.toString(), 200));
            }
        }
        return problems;
    }

    /** Whether the HTTP layer (Netty, Vert.x, Quarkus' URI check) refuses the request before any route. */
    static boolean notValidHttp(RawHttp.Request request) {
        if (request.target().length() > VERTX_MAX_INITIAL_LINE - 32) {
            return true;
        }
        try {
            new URI(request.target());
        } catch (URISyntaxException e) {
            return true;
        }
        for (char c : request.method().toCharArray()) {
            if (c <= ' ' || c >= 0x7F) {
                return true;
            }
        }
        int headerBytes = 0;
        String contentLength = null;
        String transferEncoding = null;
        for (RawHttp.Header header : request.headers()) {
            headerBytes += header.name().length() + header.value().length() + 4;
            for (char c : header.value().toCharArray()) {
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    return true;
                }
            }
            if (header.name().equalsIgnoreCase("Content-Length")) {
                contentLength = header.value();
            } else if (header.name().equalsIgnoreCase("Transfer-Encoding")) {
                transferEncoding = header.value();
            } else if (header.name().equalsIgnoreCase("Host") && !validHost(header.value())) {
                return true;
            }
        }
        if (headerBytes > VERTX_MAX_HEADER_SIZE - 256) {
            return true;
        }
        if (contentLength != null && !contentLength.matches("\\d{1,18}")) {
            return true;
        }
        return transferEncoding != null && !transferEncoding.trim().equalsIgnoreCase("chunked");
    }

    /** Vert.x refuses a Host header it cannot parse as host[:port] before any handler. */
    private static boolean validHost(String host) {
        return host.matches("[A-Za-z0-9.\\-_~%!$&'()*+,;=]*(:\\d{0,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{0,5})?");
    }
}
