package dev.latchkey.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code latchkey}: sign in from a terminal and keep an organization-scoped API key on disk.
 * <p>
 * Commands are instantiated here, not by picocli's reflective factory, and share one {@link Context} (streams,
 * environment, credentials file), which is also how tests run them in-process.
 */
@Command(name = "latchkey", mixinStandardHelpOptions = true, versionProvider = Latchkey.Version.class,
        description = "Sign in to a Latchkey server from the terminal: the login ends with an API key of one "
                + "organization stored in a private file, which whoami and logout use.",
        footer = { "", "Credentials: $XDG_CONFIG_HOME/latchkey/credentials.json",
                "  (else ~/.config/latchkey/credentials.json), mode 0600 in a 0700 directory.", "", Exit.HELP },
        subcommandsRepeatable = false)
public final class Latchkey implements Runnable {

    /** What every command needs from the outside world. */
    public record Context(PrintStream out, PrintStream err, Map<String, String> env, Path credentialsFile) {

        public CredentialsStore store() {
            return new CredentialsStore(credentialsFile, err);
        }

        public String env(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value;
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path file = CredentialsStore.defaultFile(env, System.getProperty("user.home"));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(new Context(out, err, env, file), args));
    }

    /** Runs one command line and answers its exit code ({@link Exit}). */
    public static int run(Context context, String... args) {
        CommandLine line = new CommandLine(new Latchkey());
        line.addSubcommand("login", new LoginCommand(context));
        line.addSubcommand("whoami", new WhoamiCommand(context));
        line.addSubcommand("logout", new LogoutCommand(context));
        line.setOut(new PrintWriter(context.out(), true));
        line.setErr(new PrintWriter(context.err(), true));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean json = parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--output")
                    && "json".equals(String.valueOf(parsed.subcommand().matchedOptionValue("--output", "text")));
            CliException failure = e instanceof CliException c ? c
                    : new CliException(Exit.ERROR, "unexpected_error", e.toString());
            if (json) {
                ObjectNode body = Json.object();
                ObjectNode error = body.putObject("error");
                error.put("code", failure.code());
                error.put("message", failure.getMessage());
                error.put("exit_code", failure.exitCode());
                context.err().println(Json.write(body));
            } else {
                context.err().println("latchkey: " + failure.getMessage());
            }
            return failure.exitCode();
        });
        return line.execute(args);
    }

    /** The version from the jar's manifest (set by the build), "dev" when run from classes. */
    public static String version() {
        String v = Latchkey.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] { "latchkey " + version() };
        }
    }
}
