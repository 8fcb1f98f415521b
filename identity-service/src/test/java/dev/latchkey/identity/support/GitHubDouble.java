package dev.latchkey.identity.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for github.com and api.github.com over real HTTP, answering as GitHub documents its OAuth app flow
 * ("Authorizing OAuth apps") and REST API: {@code /login/oauth/authorize} sends the browser back with
 * {@code code} and {@code state}; {@code /login/oauth/access_token} checks the client secret, the redirect URI,
 * the single use of the code and its PKCE verifier (S256), and, like GitHub, answers errors with HTTP 200 and an
 * {@code error} field; {@code /user} and {@code /user/emails} need the access token. GitHub is not an OpenID
 * provider, so mock-oauth2-server cannot play it; the wire format here is GitHub's, taken from its docs.
 */
public class GitHubDouble implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "Iv1.latchkeytest0001";
    public static final String CLIENT_SECRET = "github-double-secret";

    /** Who signs in at GitHub next: GitHub's numeric id, login, name and e-mail addresses. */
    public record Account(long id, String login, String name, String primaryEmail, boolean primaryVerified) {
    }

    record Grant(Account account, String redirectUri, String challenge) {
    }

    static HttpServer server;
    static final ConcurrentLinkedQueue<Account> next = new ConcurrentLinkedQueue<>();
    static final Map<String, Grant> codes = new ConcurrentHashMap<>();
    static final Map<String, Account> tokens = new ConcurrentHashMap<>();
    static final SecureRandom random = new SecureRandom();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/login/oauth/authorize", GitHubDouble::authorize);
        server.createContext("/login/oauth/access_token", GitHubDouble::accessToken);
        server.createContext("/api/user", GitHubDouble::user);
        server.start();
        return Map.of(
                "latchkey.oauth.providers.github.type", "github",
                "latchkey.oauth.providers.github.client-id", CLIENT_ID,
                "latchkey.oauth.providers.github.client-secret", CLIENT_SECRET,
                "latchkey.oauth.providers.github.github-url", url(),
                "latchkey.oauth.providers.github.github-api-url", url() + "/api");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    public static String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next authorization at GitHub signs in this account. */
    public static void nextSignIn(Account account) {
        next.add(account);
    }

    static void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        Account account = next.poll();
        if (!CLIENT_ID.equals(q.get("client_id")) || q.get("redirect_uri") == null || account == null) {
            send(exchange, 404, "text/plain", "unknown application or nobody to sign in");
            return;
        }
        String code = token(20);
        codes.put(code, new Grant(account, q.get("redirect_uri"),
                "S256".equals(q.get("code_challenge_method")) ? q.get("code_challenge") : null));
        String location = q.get("redirect_uri") + (q.get("redirect_uri").contains("?") ? "&" : "?") + "code=" + code
                + "&state=" + URLEncoder.encode(q.getOrDefault("state", ""), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, "text/plain", "");
    }

    static void accessToken(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 404, "text/plain", "");
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            form.putIfAbsent("client_id", URLDecoder.decode(pair[0], StandardCharsets.UTF_8));
            form.putIfAbsent("client_secret", URLDecoder.decode(pair[1], StandardCharsets.UTF_8));
        }
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        String error = null;
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            error = "incorrect_client_credentials";
        } else if (grant == null) {
            error = "bad_verification_code";
        } else if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            error = "redirect_uri_mismatch";
        } else if (grant.challenge() != null && (form.get("code_verifier") == null
                || !grant.challenge().equals(s256(form.get("code_verifier"))))) {
            error = "bad_verification_code";
        }
        boolean json = String.valueOf(exchange.getRequestHeaders().getFirst("Accept")).contains("application/json");
        Map<String, String> answer = new LinkedHashMap<>();
        if (error != null) {
            answer.put("error", error);
            answer.put("error_description", "The code passed is incorrect or expired.");
        } else {
            String token = "gho_" + token(27);
            tokens.put(token, grant.account());
            answer.put("access_token", token);
            answer.put("token_type", "bearer");
            answer.put("scope", "read:user,user:email");
        }
        // GitHub answers 200 even for an error, form-encoded unless JSON is asked for.
        if (json) {
            StringBuilder body = new StringBuilder("{");
            answer.forEach((k, v) -> body.append(body.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                    .append(v).append('"'));
            send(exchange, 200, "application/json; charset=utf-8", body.append('}').toString());
        } else {
            StringBuilder body = new StringBuilder();
            answer.forEach((k, v) -> body.append(body.length() > 0 ? "&" : "").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            send(exchange, 200, "application/x-www-form-urlencoded; charset=utf-8", body.toString());
        }
    }

    static void user(HttpExchange exchange) throws IOException {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Account account = authorization.startsWith("Bearer ") || authorization.startsWith("token ")
                ? tokens.get(authorization.substring(authorization.indexOf(' ') + 1)) : null;
        if (account == null) {
            send(exchange, 401, "application/json",
                    "{\"message\":\"Requires authentication\",\"documentation_url\":\"https://docs.github.com/rest\"}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/user")) {
            send(exchange, 200, "application/json", "{\"login\":\"" + account.login() + "\",\"id\":" + account.id()
                    + ",\"type\":\"User\",\"name\":" + (account.name() == null ? "null" : "\"" + account.name() + "\"")
                    + ",\"email\":null}");
        } else if (path.equals("/api/user/emails")) {
            send(exchange, 200, "application/json", "[{\"email\":\"" + account.login() + "@users.noreply.github.com\","
                    + "\"primary\":false,\"verified\":true,\"visibility\":null},{\"email\":\"" + account.primaryEmail()
                    + "\",\"primary\":true,\"verified\":" + account.primaryVerified() + ",\"visibility\":\"private\"}]");
        } else {
            send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
        }
    }

    static Map<String, String> form(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
