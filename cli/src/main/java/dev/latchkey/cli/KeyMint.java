package dev.latchkey.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code latchkey login} does once signed in: mints one API key of the chosen organization through
 * {@code POST /v1/api-keys}, writes it to the credentials file, revokes the key of the login it replaces, and ends
 * the OAuth session (RFC 7009), so that nothing but the key outlives the login.
 */
final class KeyMint {

    private final Latchkey.Context context;
    private final Http http;
    private final Servers servers;
    private final String host;
    private final CredentialsStore store;
    private final ObjectNode previous;
    private final String organization;
    private final boolean readOnly;
    private final String keyName;

    KeyMint(Latchkey.Context context, Http http, Servers servers, String host, CredentialsStore store,
            ObjectNode previous, String organization, boolean readOnly, String keyName) {
        this.context = context;
        this.http = http;
        this.servers = servers;
        this.host = host;
        this.store = store;
        this.previous = previous;
        this.organization = organization;
        this.readOnly = readOnly;
        this.keyName = keyName;
    }

    /** Mints the key with {@code tokens}, then ends their session whatever happened. */
    ObjectNode finish(SignIn.Tokens tokens) {
        try {
            return mint(tokens);
        } finally {
            revokeSession(tokens);
        }
    }

    private ObjectNode mint(SignIn.Tokens tokens) {
        String access = tokens.accessToken();
        JsonNode me = require(http.get(servers.identity() + "/v1/me", access), "reading who signed in");
        if (organization != null && !matches(me.get("organization"), organization)) {
            throw notGranted(access, me.get("organization"), organization);
        }
        JsonNode user = me.get("user");
        JsonNode org = me.get("organization");
        if (org == null || org.isNull()) {
            throw new CliException(Exit.DENIED, "no_organization", "This account has no organization to make a key in.");
        }
        String role = LoginCommand.orDefault(Json.text(me, "role"), Json.text(org, "role"));
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
        store.write(credentials(key, org, user));
        revokeReplaced(Json.text(key, "id"));
        ObjectNode result = result(user, org, role, key);
        if (note != null) {
            result.put("note", note);
        }
        return result;
    }

    /** What the credentials file holds: the key, and where and whose it is. */
    private ObjectNode credentials(JsonNode key, JsonNode org, JsonNode user) {
        ObjectNode credentials = Json.object();
        credentials.put("version", 1);
        servers.into(credentials);
        credentials.put("key", Json.text(key, "key"));
        credentials.put("key_id", Json.text(key, "id"));
        credentials.put("key_name", Json.text(key, "name"));
        credentials.put("capability", Json.text(key, "capability"));
        credentials.put("organization_id", Json.text(org, "id"));
        credentials.put("organization_name", Json.text(org, "name"));
        credentials.put("user_id", Json.text(user, "id"));
        credentials.put("user_email", Json.text(user, "email"));
        credentials.put("created_at", Instant.now().toString());
        return credentials;
    }

    /** What {@code login} reports (printed as JSON with --json). */
    private ObjectNode result(JsonNode user, JsonNode org, String role, JsonNode key) {
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
        return result;
    }

    /**
     * --org named another organization than the one picked in the browser. The organization allowed there is part
     * of the grant (a client's token may not switch it), so the person logs in again and picks that one.
     */
    private CliException notGranted(String access, JsonNode picked, String wanted) {
        JsonNode list = require(http.get(servers.tenant() + "/v1/me/organizations", access),
                "listing your organizations");
        for (JsonNode o : list.path("organizations")) {
            if (matches(o, wanted)) {
                return new CliException(Exit.DENIED, "organization_not_picked", "You allowed access to "
                        + Json.text(picked, "name") + ", but --org names " + Json.text(o, "name") + ". Run the login "
                        + "again and pick " + Json.text(o, "name") + " in the browser.");
            }
        }
        return new CliException(Exit.DENIED, "not_a_member", "You are not a member of an organization '" + wanted
                + "'. Your organizations: " + names(list.path("organizations")) + ".");
    }

    private static boolean matches(JsonNode org, String wanted) {
        if (org == null || org.isNull()) {
            return false;
        }
        return wanted.equalsIgnoreCase(LoginCommand.orDefault(Json.text(org, "id"), Json.text(org, "organization_id")))
                || wanted.equalsIgnoreCase(Json.text(org, "slug")) || wanted.equalsIgnoreCase(Json.text(org, "name"));
    }

    private static String names(JsonNode organizations) {
        StringJoiner out = new StringJoiner(", ");
        organizations.forEach(o -> out.add(Json.text(o, "name") + " (" + Json.text(o, "slug") + ")"));
        return out.length() == 0 ? "none" : out.toString();
    }

    /** The OAuth session has served its purpose: end it, so that nothing but the key outlives the login. */
    private void revokeSession(SignIn.Tokens tokens) {
        try {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("token", tokens.refreshToken() != null ? tokens.refreshToken() : tokens.accessToken());
            form.put("client_id", SignIn.CLIENT_ID);
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
    private void revokeReplaced(String newKeyId) {
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
}
