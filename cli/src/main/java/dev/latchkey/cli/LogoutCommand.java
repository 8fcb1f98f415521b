package dev.latchkey.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code latchkey logout}: revokes the stored key at apikey-service (every service refuses it within a second),
 * then deletes the file. When the server cannot be reached the file is kept, so that the key can still be revoked
 * later: deleting it would leave a working key nobody can find.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Revoke the stored API key on the server, then delete the credentials file.",
        footer = { "", Exit.HELP })
final class LogoutCommand implements Callable<Integer> {

    @Mixin
    Output output = new Output();

    private final Latchkey.Context context;

    LogoutCommand(Latchkey.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CredentialsStore store = context.store();
        ObjectNode credentials = store.read();
        if (credentials == null) {
            throw CliException.notLoggedIn();
        }
        Servers servers = Servers.of(credentials);
        String keyId = Json.text(credentials, "key_id");
        Http.Response r = new Http().delete(servers.apikey() + "/v1/api-keys/" + keyId, Json.text(credentials, "key"));
        String outcome;
        if (r.ok()) {
            outcome = "revoked";
        } else if (r.status() == 401 && Http.failure(r, "").exitCode() == Exit.KEY_INVALID) {
            outcome = "already_unusable";
        } else {
            CliException failure = Http.failure(r, "revoking the key");
            throw new CliException(failure.exitCode(), failure.code(), failure.getMessage() + " The key was NOT "
                    + "revoked; the credentials file is kept so that `latchkey logout` can try again.");
        }
        store.delete();
        if (output.json()) {
            ObjectNode result = Json.object();
            result.put("key_id", keyId);
            result.put("key_name", Json.text(credentials, "key_name"));
            result.put("outcome", outcome);
            result.put("credentials_file", store.file().toString());
            context.out().println(Json.pretty(result));
        } else if (outcome.equals("revoked")) {
            context.out().printf("Logged out: the key \"%s\" is revoked and %s is deleted.%n",
                    Json.text(credentials, "key_name"), store.file());
        } else {
            context.out().printf("Logged out: the key \"%s\" no longer worked (revoked or expired elsewhere); %s is "
                    + "deleted.%n", Json.text(credentials, "key_name"), store.file());
        }
        return Exit.OK;
    }
}
