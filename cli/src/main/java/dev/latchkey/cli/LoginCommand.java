package dev.latchkey.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latchkey login}: the OAuth authorization-code flow of a native app (RFC 8252: loopback redirect, PKCE
 * S256, state) or, with {@code --device}, the device authorization grant (RFC 8628), both in {@link SignIn}. The
 * OAuth tokens live only in memory: they mint one API key of the chosen organization, then the session they belong
 * to is revoked ({@link KeyMint}). Only the key is written to disk.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Sign in in the browser (or, with --device, on any other device) and store an API key of the "
                + "organization you choose. The key is named after this host and today's date, read_write unless "
                + "--read-only (members of an organization get read keys).",
        footer = { "", "Examples:", "  latchkey login", "  latchkey login --server https://auth.example.com --org acme",
                "  latchkey login --device        # on a machine without a browser", "", Exit.HELP })
final class LoginCommand implements Callable<Integer> {

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
            + "or name; pick the same one in the browser. Default: the one you pick in the browser.")
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
        KeyMint mint = new KeyMint(context, http, servers, host, store, previous, organization, readOnly, keyName);
        SignIn signIn = new SignIn(context, http, servers, timeout, noBrowser);
        ObjectNode result = device ? signIn.device(host, mint::finish) : signIn.browser(issuer, host, mint::finish);
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

    static String describeScope(JsonNode scope) {
        if (scope == null || scope.isNull() || "organization".equals(Json.text(scope, "type"))) {
            return "whole organization";
        }
        StringJoiner ids = new StringJoiner(", ");
        scope.path("ids").forEach(id -> ids.add(id.asText()));
        return Json.text(scope, "type") + "s " + ids;
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 90) {
            return s + " s";
        }
        long minutes = (s + 30) / 60;
        return minutes + " minutes";
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
