package dev.latchkey.e2e.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.latchkey.e2e.Suite;

/**
 * The built CLI run as a user runs it: {@code cli/bin/latchkey} (the launcher script, which finds
 * {@code cli/target/latchkey.jar} and a Java 21+), in a fresh home whose XDG_CONFIG_HOME is private to the test.
 */
final class Cli {

    static final Path ROOT = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();

    /** One user's machine: a home directory and its config directory. */
    record Home(Path dir) {

        static Home fresh() throws IOException {
            Path dir = Files.createTempDirectory(ROOT.resolve("e2e-tests/target"), "cli-home-");
            return new Home(dir);
        }

        Path config() {
            return dir.resolve("config");
        }

        Path credentials() {
            return config().resolve("latchkey/credentials.json");
        }

        /** Runs {@code latchkey args...} to completion (at most 2 minutes). */
        Run run(String... args) throws Exception {
            Running running = start(args);
            running.await(Duration.ofMinutes(2));
            return running.result();
        }

        Running start(String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(ROOT.resolve("cli/bin/latchkey").toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("HOME", dir.toString());
            builder.environment().put("XDG_CONFIG_HOME", config().toString());
            // The class-data archive the launcher makes is shared by every run of this test JVM.
            builder.environment().put("XDG_CACHE_HOME", ROOT.resolve("e2e-tests/target/cli-cache").toString());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().remove("LATCHKEY_SERVER");
            builder.environment().remove("LATCHKEY_APIKEY_URL");
            builder.environment().remove("LATCHKEY_TENANT_URL");
            builder.environment().remove("DISPLAY");
            builder.environment().remove("WAYLAND_DISPLAY");
            return new Running(builder.start());
        }
    }

    /** The arguments pointing the CLI at the suite's three services. */
    static String[] servers(String... more) {
        List<String> args = new ArrayList<>(List.of("--server", Suite.url(Suite.IDENTITY), "--apikey-url",
                Suite.url(Suite.APIKEY), "--tenant-url", Suite.url(Suite.TENANT)));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static String[] login(String... more) {
        List<String> args = new ArrayList<>(List.of("login"));
        args.addAll(List.of(servers(more)));
        return args.toArray(String[]::new);
    }

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** A CLI process whose output is collected as it comes. */
    static final class Running {

        private static final Pattern AUTHORIZE = Pattern.compile("(http://\\S+/v1/oauth/authorize\\?\\S+)");
        private static final Pattern USER_CODE = Pattern.compile("enter the code\\s+(\\S+)");

        final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;

        Running(Process process) {
            this.process = process;
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // nothing to close
            }
            outReader = Thread.ofVirtual().start(() -> pump(process.getInputStream(), out));
            errReader = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), err));
        }

        /** The sign-in URL the CLI prints with --no-browser. */
        String authorizeUrl() throws InterruptedException {
            return await(AUTHORIZE);
        }

        /** The user code the device flow prints. */
        String userCode() throws InterruptedException {
            return await(USER_CODE);
        }

        private String await(Pattern pattern) {
            try {
                return Awaitility.await("the CLI printing " + pattern).atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            Matcher m = pattern.matcher(err);
                            if (m.find()) {
                                return m.group(1);
                            }
                            if (!process.isAlive()) {
                                throw new AssertionError("the CLI exited without printing " + pattern + ":\n" + err + "\n" + out);
                            }
                            return null;
                        }, Objects::nonNull);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the CLI printed no " + pattern + ":\n" + err + "\n" + out);
            }
        }

        void await(Duration wait) throws Exception {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the CLI did not finish within " + wait + ":\n" + err + "\n" + out);
            }
            outReader.join(5000);
            errReader.join(5000);
        }

        Run result() throws Exception {
            await(Duration.ofMinutes(2));
            return new Run(process.exitValue(), out.toString(), err.toString());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        private static void pump(InputStream in, StringBuffer into) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    into.append(line).append('\n');
                }
            } catch (IOException e) {
                // the process ended
            }
        }
    }
}
