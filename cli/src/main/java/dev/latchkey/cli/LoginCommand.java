package dev.latchkey.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latchkey login}: the OAuth authorization-code flow of a native app (RFC 8252: loopback redirect, PKCE
 * S256, state) or, with {@code --device}, the device authorization grant (RFC 8628). The OAuth tokens live only in
 * memory: they mint one API key of the chosen organization through {@code POST /v1/api-keys}, then the session they
 * belong to is revoked (RFC 7009). Only the key is written to disk.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Sign in in the browser (or, with --device, on any other device) and store an API key of the "
                + "organization you choose. The key is named after this host and today's date, read_write unless "
                + "--read-only (members of an organization get read keys).",
        footer = { "", "Examples:", "  latchkey login", "  latchkey login --server https://auth.example.com --org acme",
                "  latchkey login --device        # on a machine without a browser", "", Exit.HELP })
final class LoginCommand implements Callable<Integer> {

    static final String CLIENT_ID = "latchkey-cli";
    static final String SCOPE = "openid profile email";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    @Mixin
    Output output = new Output();

    @Option(names = "--server", paramLabel = "URL", description = "The Latchkey server (identity-service, or the "
            + "edge of a deployment). Default: $LATCHKEY_SERVER, else " + Servers.DEFAULT_SERVER + ".")
    String server;

    @Option(names = "--apikey-url", paramLabel = "URL", description = "apikey-service, when not at the server's "
            + "origin. Default: $LATCHKEY_APIKEY_URL, else the server (port 8082 of its host when the server is on 8081, "
            + "as deploy/local/up runs it).")
    String apikeyUrl;

    @Option(names = "--tenant-url", paramLabel = "URL", description = "tenant-service, likewise (8084 beside 8081).")
    String tenantUrl;

    @Option(names = "--org", paramLabel = "ORG", description = "The organization the key belongs to: its id, slug "
            + "or name. Default: the one you pick in the browser.")
    String organization;

    @Option(names = "--no-browser", description = "Print the sign-in URL instead of opening a browser.")
    boolean noBrowser;

    @Option(names = "--device", description = "Device flow (RFC 8628): shows a code to enter at the server's "
            + "device page from any browser, for machines without one.")
    boolean device;

    @Option(names = "--read-only", description = "Mint a read key (capability read) instead of read_write.")
    boolean readOnly;

    @Option(names = "--name", paramLabel = "NAME", description = "The key's name. Default: latchkey-cli <host> <date>.")
    String keyName;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "How long to wait for the sign-in (ISO-8601, e.g. PT5M; or seconds). Default: 5 minutes.",
            converter = Durations.class)
    Duration timeout;

    private final Latchkey.Context context;

    LoginCommand(Latchkey.Context context) {
        this.context = context;
    }

    /** What the OAuth part yields; only ever in memory. */
    record Tokens(String accessToken, String refreshToken) {
        @Override
        public String toString() {
            return "Tokens[...]";
        }
    }

    @Override
    public Integer call() {
        Servers servers = Servers.resolve(server != null ? server : orDefault(context.env("LATCHKEY_SERVER"),
                Servers.DEFAULT_SERVER), apikeyUrl != null ? apikeyUrl : context.env("LATCHKEY_APIKEY_URL"),
                tenantUrl != null ? tenantUrl : context.env("LATCHKEY_TENANT_URL"));
        Http http = new Http();
        CredentialsStore store = context.store();
        ObjectNode previous = store.read();
        // Reachability first: nobody should sign in in a browser for a server the CLI cannot reach.
        Http.Response discovery = http.get(servers.identity() + "/.well-known/openid-configuration", null);
        if (!discovery.ok() || discovery.json() == null) {
            throw Http.failure(discovery, "reading " + servers.identity() + "/.well-known/openid-configuration "
                    + "(is --server a Latchkey server?)");
        }
        String issuer = Json.text(discovery.json(), "issuer");
        String host = Hosts.name(context.env());
        ObjectNode result = device ? deviceFlow(http, servers, host, tokens -> finish(http, servers, host, tokens, previous, store))
                : browserFlow(http, servers, issuer, host, tokens -> finish(http, servers, host, tokens, previous, store));
        if (output.json()) {
            context.out().println(Json.pretty(result));
        } else {
            JsonNode org = result.get("organization");
            JsonNode key = result.get("key");
            context.out().printf("Logged in to %s as %s in %s (%s).%n", servers.identity(),
                    Json.text(result.get("user"), "email"), Json.text(org, "name"), Json.text(result, "role"));
            context.out().printf("API key \"%s\" (%s, %s) saved to %s%n", Json.text(key, "name"),
                    Json.text(key, "capability"), describeScope(key.get("resource_scope")), store.file());
            if (result.hasNonNull("note")) {
                context.out().println(Json.text(result, "note"));
            }
        }
        return Exit.OK;
    }

    interface AfterTokens {
        ObjectNode apply(Tokens tokens);
    }

    // ---- RFC 8252: the browser and a loopback redirect ----------------------------------------------------------

    private ObjectNode browserFlow(Http http, Servers servers, String issuer, String host, AfterTokens after) {
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            String verifier = Pkce.newVerifier();
            String state = Pkce.random(32);
            String redirect = receiver.redirectUri();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("response_type", "code");
            query.put("client_id", CLIENT_ID);
            query.put("redirect_uri", redirect);
            query.put("scope", SCOPE);
            query.put("state", state);
            query.put("code_challenge", Pkce.challenge(verifier));
            query.put("code_challenge_method", "S256");
            query.put("host", host);
            String url = servers.identity() + "/v1/oauth/authorize?" + form(query);
            if (noBrowser || !Browsers.open(url)) {
                context.err().println("Open this URL in a browser to sign in:");
                context.err().println();
                context.err().println("  " + url);
                context.err().println();
            } else {
                context.err().println("Opened your browser to sign in. If it did not open, visit:");
                context.err().println("  " + url);
            }
            context.err().println("Waiting for the browser (up to " + human(timeout) + "; Ctrl-C to cancel)...");
            Map<String, String> answer;
            try {
                answer = receiver.await(timeout);
            } catch (TimeoutException e) {
                throw timedOut();
            }
            try {
                Tokens tokens = exchangeCode(http, servers, issuer, answer, state, verifier, redirect);
                ObjectNode result = after.apply(tokens);
                receiver.finish(new LoopbackReceiver.Page(true, "You are logged in",
                        "The Latchkey CLI on " + host + " has its key. You can close this tab."));
                return result;
            } catch (CliException e) {
                receiver.finish(new LoopbackReceiver.Page(false, "Login failed", e.getMessage()));
                throw e;
            }
        } catch (java.io.IOException e) {
            throw new CliException(Exit.ERROR, "loopback_unavailable", "Cannot listen on 127.0.0.1 for the "
                    + "browser's answer: " + e.getMessage() + ". Try `latchkey login --device`.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Exit.ERROR, "interrupted", "Interrupted.");
        }
    }

    private Tokens exchangeCode(Http http, Servers servers, String issuer, Map<String, String> answer, String state,
            String verifier, String redirect) {
        if (!Pkce.sameState(state, answer.get("state"))) {
            throw new CliException(Exit.REFUSED, "state_mismatch", "The browser's answer does not belong to this "
                    + "login (its state differs: an old tab, or someone else's sign-in). Nothing was saved; run "
                    + "`latchkey login` again.");
        }
        if (answer.get("iss") != null && issuer != null && !issuer.equals(answer.get("iss"))) {
            throw new CliException(Exit.REFUSED, "issuer_mismatch", "The answer came from another issuer ("
                    + answer.get("iss") + ", expected " + issuer + "). Nothing was saved.");
        }
        String error = answer.get("error");
        if (error != null) {
            if (error.equals("access_denied")) {
                throw denied();
            }
            throw new CliException(Exit.REFUSED, error, "The server refused the login: "
                    + orDefault(answer.get("error_description"), error) + ".");
        }
        String code = answer.get("code");
        if (code == null || code.isEmpty()) {
            throw new CliException(Exit.REFUSED, "no_code", "The browser came back without a code. Nothing was saved.");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirect);
        form.put("code_verifier", verifier);
        form.put("client_id", CLIENT_ID);
        return tokens(http.postForm(servers.identity() + "/v1/oauth/token", form));
    }

    private Tokens tokens(Http.Response r) {
        if (r.ok()) {
            String access = Json.text(r.json(), "access_token");
            if (access == null) {
                throw new CliException(Exit.ERROR, "no_access_token", "The token endpoint answered without a token.");
            }
            return new Tokens(access, Json.text(r.json(), "refresh_token"));
        }
        if (r.status() == 400 && "invalid_grant".equals(Json.text(r.json(), "error"))) {
            String why = switch (orDefault(Json.text(r.json(), "code"), "")) {
                case "code_expired" -> "the sign-in code expired before the CLI could use it (codes live 60 s)";
                case "code_reused" -> "the sign-in code was already used (and whatever it gave was revoked)";
                default -> r.message();
            };
            throw new CliException(Exit.REFUSED, orDefault(Json.text(r.json(), "code"), "invalid_grant"),
                    "The server refused the sign-in code: " + why + ". Nothing was saved; run `latchkey login` again.");
        }
        if (r.status() == 403) {
            throw new CliException(Exit.DENIED, r.code(), "The server refuses this account: " + r.message());
        }
        throw Http.failure(r, "exchanging the sign-in code");
    }

    // ---- RFC 8628: the device authorization grant ---------------------------------------------------------------

    private ObjectNode deviceFlow(Http http, Servers servers, String host, AfterTokens after) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", CLIENT_ID);
        form.put("scope", SCOPE);
        form.put("host", host);
        Http.Response started = http.postForm(servers.identity() + "/v1/oauth/device_authorization", form);
        if (started.status() == 404) {
            throw new CliException(Exit.ERROR, "device_flow_unsupported", "This server has no device flow; use "
                    + "`latchkey login --no-browser` and open the URL on another machine.");
        }
        if (!started.ok()) {
            throw Http.failure(started, "starting the device login");
        }
        JsonNode d = started.json();
        String deviceCode = Json.text(d, "device_code");
        String userCode = Json.text(d, "user_code");
        if (deviceCode == null || userCode == null) {
            throw new CliException(Exit.ERROR, "device_flow_unsupported", "The device authorization answer lacks "
                    + "device_code or user_code.");
        }
        long interval = Math.max(1, d.path("interval").asLong(5));
        Instant deadline = Instant.now().plus(timeout);
        long expiresIn = d.path("expires_in").asLong(0);
        if (expiresIn > 0 && Instant.now().plusSeconds(expiresIn).isBefore(deadline)) {
            deadline = Instant.now().plusSeconds(expiresIn);
        }
        context.err().println("On any device with a browser, open");
        context.err().println();
        context.err().println("  " + Json.text(d, "verification_uri"));
        context.err().println();
        context.err().println("and enter the code  " + userCode);
        if (Json.text(d, "verification_uri_complete") != null) {
            context.err().println("(or open " + Json.text(d, "verification_uri_complete") + ")");
        }
        context.err().println("Waiting (up to " + human(Duration.between(Instant.now(), deadline)) + "; Ctrl-C to cancel)...");
        Map<String, String> poll = new LinkedHashMap<>();
        poll.put("grant_type", DEVICE_GRANT);
        poll.put("device_code", deviceCode);
        poll.put("client_id", CLIENT_ID);
        while (true) {
            long waitMillis = Math.min(interval * 1000, Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
            sleep(waitMillis);
            if (!Instant.now().isBefore(deadline)) {
                throw timedOut();
            }
            Http.Response r = http.postForm(servers.identity() + "/v1/oauth/token", poll);
            if (r.ok()) {
                return after.apply(tokens(r));
            }
            String error = orDefault(Json.text(r.json(), "error"), "");
            switch (error) {
                case "authorization_pending" -> {
                }
                // RFC 8628 §3.5: slow down by 5 s, for this and every later poll.
                case "slow_down" -> interval += 5;
                case "access_denied" -> throw denied();
                case "expired_token" -> throw new CliException(Exit.TIMED_OUT, "device_code_expired",
                        "The code " + userCode + " expired before anyone entered it. Run `latchkey login --device` "
                                + "again.");
                default -> throw tokensFailure(r);
            }
        }
    }

    private CliException tokensFailure(Http.Response r) {
        try {
            tokens(r);
            return new CliException(Exit.ERROR, "unexpected_answer", "Unexpected answer from the token endpoint.");
        } catch (CliException e) {
            return e;
        }
    }

    // ---- after the OAuth part: one API key, then the session is revoked ----------------------------------------

    private ObjectNode finish(Http http, Servers servers, String host, Tokens tokens, ObjectNode previous,
            CredentialsStore store) {
        try {
            return mint(http, servers, host, tokens, previous, store);
        } finally {
            revokeSession(http, servers, tokens);
        }
    }

    private ObjectNode mint(Http http, Servers servers, String host, Tokens tokens, ObjectNode previous,
            CredentialsStore store) {
        String access = tokens.accessToken();
        JsonNode me = require(http.get(servers.identity() + "/v1/me", access), "reading who signed in");
        if (organization != null && !matches(me.get("organization"), organization)) {
            access = switchTo(http, servers, access, organization);
            me = require(http.get(servers.identity() + "/v1/me", access), "reading who signed in");
        }
        JsonNode user = me.get("user");
        JsonNode org = me.get("organization");
        if (org == null || org.isNull()) {
            throw new CliException(Exit.DENIED, "no_organization", "This account has no organization to make a key in.");
        }
        String role = orDefault(Json.text(me, "role"), Json.text(org, "role"));
        String capability = readOnly ? "read" : "read_write";
        String note = null;
        if (!readOnly && "member".equals(role)) {
            // A member may only make read keys (apikey-service: a key never exceeds its creator).
            capability = "read";
            note = "You are a member of " + Json.text(org, "name") + ", so the key is read-only (only owners and "
                    + "admins get read_write keys).";
        }
        ObjectNode body = Json.object();
        body.put("name", keyName != null ? keyName : "latchkey-cli " + host + " "
                + LocalDate.now(ZoneOffset.UTC));
        body.put("capability", capability);
        Http.Response created = http.postJson(servers.apikey() + "/v1/api-keys", access, body);
        if (!created.ok()) {
            throw Http.failure(created, "creating the API key at " + servers.apikey());
        }
        JsonNode key = created.json();
        String plaintext = Json.text(key, "key");
        if (plaintext == null || Json.text(key, "id") == null) {
            throw new CliException(Exit.ERROR, "no_key", "apikey-service answered without the key.");
        }
        ObjectNode credentials = Json.object();
        credentials.put("version", 1);
        servers.into(credentials);
        credentials.put("key", plaintext);
        credentials.put("key_id", Json.text(key, "id"));
        credentials.put("key_name", Json.text(key, "name"));
        credentials.put("capability", Json.text(key, "capability"));
        credentials.put("organization_id", Json.text(org, "id"));
        credentials.put("organization_name", Json.text(org, "name"));
        credentials.put("user_id", Json.text(user, "id"));
        credentials.put("user_email", Json.text(user, "email"));
        credentials.put("created_at", Instant.now().toString());
        store.write(credentials);
        revokeReplaced(http, previous, Json.text(key, "id"));

        ObjectNode result = Json.object();
        result.put("server", servers.identity());
        ObjectNode u = result.putObject("user");
        u.put("id", Json.text(user, "id"));
        u.put("email", Json.text(user, "email"));
        ObjectNode o = result.putObject("organization");
        o.put("id", Json.text(org, "id"));
        o.put("name", Json.text(org, "name"));
        o.put("slug", Json.text(org, "slug"));
        result.put("role", role);
        ObjectNode k = result.putObject("key");
        k.put("id", Json.text(key, "id"));
        k.put("name", Json.text(key, "name"));
        k.put("capability", Json.text(key, "capability"));
        k.set("resource_scope", key.get("resource_scope"));
        result.put("credentials_file", store.file().toString());
        if (note != null) {
            result.put("note", note);
        }
        return result;
    }

    /** --org named another organization than the one picked: act in that one (the person must belong to it). */
    private String switchTo(Http http, Servers servers, String access, String wanted) {
        JsonNode list = require(http.get(servers.tenant() + "/v1/me/organizations", access), "listing your organizations");
        for (JsonNode o : list.path("organizations")) {
            if (matches(o, wanted)) {
                ObjectNode body = Json.object();
                body.put("organization_id", Json.text(o, "id"));
                JsonNode switched = require(http.postJson(servers.identity() + "/v1/auth/switch-org", access, body),
                        "switching to " + wanted);
                String token = Json.text(switched, "access_token");
                if (token == null) {
                    throw new CliException(Exit.ERROR, "no_access_token", "Switching organization gave no token.");
                }
                return token;
            }
        }
        throw new CliException(Exit.DENIED, "not_a_member", "You are not a member of an organization '" + wanted
                + "'. Your organizations: " + names(list.path("organizations")) + ".");
    }

    private static boolean matches(JsonNode org, String wanted) {
        if (org == null || org.isNull()) {
            return false;
        }
        return wanted.equalsIgnoreCase(orDefault(Json.text(org, "id"), Json.text(org, "organization_id")))
                || wanted.equalsIgnoreCase(Json.text(org, "slug")) || wanted.equalsIgnoreCase(Json.text(org, "name"));
    }

    private static String names(JsonNode organizations) {
        StringJoiner out = new StringJoiner(", ");
        organizations.forEach(o -> out.add(Json.text(o, "name") + " (" + Json.text(o, "slug") + ")"));
        return out.length() == 0 ? "none" : out.toString();
    }

    /** The OAuth session has served its purpose: end it, so that nothing but the key outlives the login. */
    private void revokeSession(Http http, Servers servers, Tokens tokens) {
        try {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("token", tokens.refreshToken() != null ? tokens.refreshToken() : tokens.accessToken());
            form.put("client_id", CLIENT_ID);
            Http.Response r = http.postForm(servers.identity() + "/v1/oauth/revoke", form);
            if (!r.ok()) {
                context.err().println("warning: the sign-in session was not ended (" + r.message() + "); it expires "
                        + "on its own.");
            }
        } catch (CliException e) {
            context.err().println("warning: the sign-in session was not ended (" + e.getMessage() + "); it expires on "
                    + "its own.");
        }
    }

    /** The key this login replaces would be unreachable once the file is overwritten: revoke it. */
    private void revokeReplaced(Http http, ObjectNode previous, String newKeyId) {
        if (previous == null || newKeyId.equals(Json.text(previous, "key_id"))) {
            return;
        }
        try {
            Servers old = Servers.of(previous);
            Http.Response r = http.delete(old.apikey() + "/v1/api-keys/" + Json.text(previous, "key_id"),
                    Json.text(previous, "key"));
            if (r.ok() || r.status() == 401) {
                context.err().println("Revoked the key of the previous login (" + Json.text(previous, "key_name") + ").");
            } else {
                context.err().println("warning: the previous login's key " + Json.text(previous, "key_name")
                        + " was not revoked (" + r.message() + "); revoke it in the console.");
            }
        } catch (CliException e) {
            context.err().println("warning: the previous login's key " + Json.text(previous, "key_name")
                    + " was not revoked (" + e.getMessage() + "); revoke it in the console.");
        }
    }

    private static JsonNode require(Http.Response r, String what) {
        if (!r.ok() || r.json() == null) {
            throw Http.failure(r, what);
        }
        return r.json();
    }

    static String describeScope(JsonNode scope) {
        if (scope == null || scope.isNull() || "organization".equals(Json.text(scope, "type"))) {
            return "whole organization";
        }
        StringJoiner ids = new StringJoiner(", ");
        scope.path("ids").forEach(id -> ids.add(id.asText()));
        return Json.text(scope, "type") + "s " + ids;
    }

    private CliException timedOut() {
        return new CliException(Exit.TIMED_OUT, "login_timed_out", "Nobody finished the sign-in within "
                + human(timeout) + ". Run `latchkey login` again when ready.");
    }

    private static CliException denied() {
        return new CliException(Exit.DENIED, "login_denied", "Access was denied in the browser. Nothing was saved.");
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 90) {
            return s + " s";
        }
        long minutes = (s + 30) / 60;
        return minutes + " minutes";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Exit.ERROR, "interrupted", "Interrupted.");
        }
    }

    static String form(Map<String, String> params) {
        StringJoiner out = new StringJoiner("&");
        params.forEach((k, v) -> out.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
