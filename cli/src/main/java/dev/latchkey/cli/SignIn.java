package dev.latchkey.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OAuth part of {@code latchkey login}: the authorization-code flow of a native app (RFC 8252: loopback
 * redirect, PKCE S256, state) or the device authorization grant (RFC 8628). The tokens it yields stay in memory
 * and are handed to an {@link AfterTokens} (which mints the key) while the browser still waits for its page.
 */
final class SignIn {

    static final String CLIENT_ID = "latchkey-cli";
    /**
     * What the login needs and no more: who signed in ({@code account}: {@code GET /v1/me}), the person's
     * organizations ({@code organizations:read}) and the key ({@code api_keys:write}); the OAuth tokens never
     * outlive the command.
     */
    static final String SCOPE = "openid profile email account organizations:read api_keys:write";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    /** What the OAuth part yields; only ever in memory. */
    record Tokens(String accessToken, String refreshToken) {
        @Override
        public String toString() {
            return "Tokens[...]";
        }
    }

    interface AfterTokens {
        ObjectNode apply(Tokens tokens);
    }

    private final Latchkey.Context context;
    private final Http http;
    private final Servers servers;
    private final Duration timeout;
    private final boolean noBrowser;

    SignIn(Latchkey.Context context, Http http, Servers servers, Duration timeout, boolean noBrowser) {
        this.context = context;
        this.http = http;
        this.servers = servers;
        this.timeout = timeout;
        this.noBrowser = noBrowser;
    }

    // ---- RFC 8252: the browser and a loopback redirect ----------------------------------------------------------

    ObjectNode browser(String issuer, String host, AfterTokens after) {
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
            String url = servers.identity() + "/v1/oauth/authorize?" + LoginCommand.form(query);
            show(url);
            context.err().println("Waiting for the browser (up to " + LoginCommand.human(timeout)
                    + "; Ctrl-C to cancel)...");
            Map<String, String> answer;
            try {
                answer = receiver.await(timeout);
            } catch (TimeoutException e) {
                throw timedOut();
            }
            try {
                Tokens tokens = exchangeCode(issuer, answer, state, verifier, redirect);
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

    private void show(String url) {
        if (noBrowser || !Browsers.open(url)) {
            context.err().println("Open this URL in a browser to sign in:");
            context.err().println();
            context.err().println("  " + url);
            context.err().println();
        } else {
            context.err().println("Opened your browser to sign in. If it did not open, visit:");
            context.err().println("  " + url);
        }
    }

    private Tokens exchangeCode(String issuer, Map<String, String> answer, String state, String verifier,
            String redirect) {
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
                    + LoginCommand.orDefault(answer.get("error_description"), error) + ".");
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
            String why = switch (LoginCommand.orDefault(Json.text(r.json(), "code"), "")) {
                case "code_expired" -> "the sign-in code expired before the CLI could use it (codes live 60 s)";
                case "code_reused" -> "the sign-in code was already used (and whatever it gave was revoked)";
                default -> r.message();
            };
            throw new CliException(Exit.REFUSED, LoginCommand.orDefault(Json.text(r.json(), "code"), "invalid_grant"),
                    "The server refused the sign-in code: " + why + ". Nothing was saved; run `latchkey login` again.");
        }
        if (r.status() == 403) {
            throw new CliException(Exit.DENIED, r.code(), "The server refuses this account: " + r.message());
        }
        throw Http.failure(r, "exchanging the sign-in code");
    }

    // ---- RFC 8628: the device authorization grant ---------------------------------------------------------------

    ObjectNode device(String host, AfterTokens after) {
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
        showCode(d, userCode, deadline);
        return poll(deviceCode, userCode, interval, deadline, after);
    }

    private void showCode(JsonNode d, String userCode, Instant deadline) {
        context.err().println("On any device with a browser, open");
        context.err().println();
        context.err().println("  " + Json.text(d, "verification_uri"));
        context.err().println();
        context.err().println("and enter the code  " + userCode);
        if (Json.text(d, "verification_uri_complete") != null) {
            context.err().println("(or open " + Json.text(d, "verification_uri_complete") + ")");
        }
        context.err().println("Waiting (up to " + LoginCommand.human(Duration.between(Instant.now(), deadline))
                + "; Ctrl-C to cancel)...");
    }

    /** RFC 8628 §3.4-3.5: polls the token endpoint at the server's pace until someone enters the code. */
    private ObjectNode poll(String deviceCode, String userCode, long interval, Instant deadline, AfterTokens after) {
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
            String error = LoginCommand.orDefault(Json.text(r.json(), "error"), "");
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

    private CliException timedOut() {
        return new CliException(Exit.TIMED_OUT, "login_timed_out", "Nobody finished the sign-in within "
                + LoginCommand.human(timeout) + ". Run `latchkey login` again when ready.");
    }

    private static CliException denied() {
        return new CliException(Exit.DENIED, "login_denied", "Access was denied in the browser. Nothing was saved.");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Exit.ERROR, "interrupted", "Interrupted.");
        }
    }
}
