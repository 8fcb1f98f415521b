package dev.latchkey.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code latchkey whoami}: asks the servers, with the stored key, what the key is (apikey-service), which
 * organization it belongs to (tenant-service) and who made it with which role (the organization's members). A
 * key revoked elsewhere is reported as such (exit 7), not as a generic failure.
 */
@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = "Show the user, organization, role, key name, capability and scope of the stored key, as the "
                + "server sees them now.",
        footer = { "", Exit.HELP })
final class WhoamiCommand implements Callable<Integer> {

    @Mixin
    Output output = new Output();

    private final Latchkey.Context context;

    WhoamiCommand(Latchkey.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ObjectNode credentials = context.store().read();
        if (credentials == null) {
            throw CliException.notLoggedIn();
        }
        Servers servers = Servers.of(credentials);
        String key = Json.text(credentials, "key");
        String keyId = Json.text(credentials, "key_id");
        String orgId = Json.text(credentials, "organization_id");
        Http http = new Http();

        Http.Response k = http.get(servers.apikey() + "/v1/api-keys/" + keyId, key);
        if (!k.ok()) {
            throw Http.failure(k, "reading the key at " + servers.apikey());
        }
        Http.Response o = http.get(servers.tenant() + "/v1/organizations/" + orgId, key);
        if (!o.ok()) {
            throw Http.failure(o, "reading the organization at " + servers.tenant());
        }
        JsonNode creator = k.json().path("created_by");
        String userId = "user".equals(Json.text(creator, "type")) ? Json.text(creator, "id")
                : Json.text(credentials, "user_id");
        JsonNode member = member(http, servers, key, orgId, userId);

        ObjectNode result = Json.object();
        ObjectNode user = result.putObject("user");
        user.put("id", userId);
        user.put("email", member != null ? Json.text(member, "email") : Json.text(credentials, "user_email"));
        ObjectNode org = result.putObject("organization");
        org.put("id", Json.text(o.json(), "id"));
        org.put("name", Json.text(o.json(), "name"));
        org.put("slug", Json.text(o.json(), "slug"));
        // The person's role now (null: no longer a member, or not visible to this key).
        result.put("role", member != null ? Json.text(member, "role") : null);
        ObjectNode keyView = result.putObject("key");
        keyView.put("id", keyId);
        keyView.put("name", Json.text(k.json(), "name"));
        keyView.put("start", Json.text(k.json(), "start"));
        keyView.put("status", Json.text(k.json(), "status"));
        keyView.put("capability", Json.text(k.json(), "capability"));
        keyView.set("resource_scope", k.json().get("resource_scope"));
        keyView.put("expires_at", Json.text(k.json(), "expires_at"));
        result.put("server", servers.identity());
        result.put("credentials_file", context.store().file().toString());

        if (output.json()) {
            context.out().println(Json.pretty(result));
        } else {
            print(result, userId);
        }
        return Exit.OK;
    }

    private void print(ObjectNode result, String userId) {
        JsonNode user = result.get("user");
        JsonNode org = result.get("organization");
        JsonNode keyView = result.get("key");
        var out = context.out();
        out.printf("User:          %s%n", LoginCommand.orDefault(Json.text(user, "email"), userId));
        out.printf("Organization:  %s (%s)%n", Json.text(org, "name"), Json.text(org, "id"));
        out.printf("Role:          %s%n", LoginCommand.orDefault(Json.text(result, "role"), "(not visible to this key)"));
        out.printf("Key:           %s (%s…)%n", Json.text(keyView, "name"), Json.text(keyView, "start"));
        out.printf("Capability:    %s%n", Json.text(keyView, "capability"));
        out.printf("Scope:         %s%n", LoginCommand.describeScope(keyView.get("resource_scope")));
        if (Json.text(keyView, "expires_at") != null) {
            out.printf("Expires:       %s%n", Json.text(keyView, "expires_at"));
        }
        out.printf("Server:        %s%n", Json.text(result, "server"));
    }

    /** The key's creator among the organization's members, or null (gone, or members not readable by this key). */
    private static JsonNode member(Http http, Servers servers, String key, String orgId, String userId) {
        if (userId == null) {
            return null;
        }
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            String url = servers.tenant() + "/v1/organizations/" + orgId + "/members?limit=200"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            Http.Response r = http.get(url, key);
            if (!r.ok() || r.json() == null) {
                return null;
            }
            for (JsonNode m : r.json().path("members")) {
                if (userId.equals(Json.text(m, "user_id"))) {
                    return m;
                }
            }
            cursor = Json.text(r.json(), "next_cursor");
            if (cursor == null) {
                return null;
            }
        }
        return null;
    }
}
