package dev.latchkey.e2e.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.latchkey.e2e.Suite;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;

/**
 * Replicas of the built webhook-gateway jar as separate processes (production profile, secrets from the
 * environment), sharing one database and Redis, as several replicas behind a load balancer would. FakeLatchkey
 * plays identity-service (JWKS, client credentials) and apikey-service over real HTTP, so that tests can mint
 * tokens with roles. Ports: LATCHKEY_E2E_PORT_BASE + 5, 6, ... (the full suite uses +1..+4 and +9).
 */
final class Gateways {

    static final int BASE = Integer.parseInt(env("LATCHKEY_E2E_PORT_BASE", "18080")) + 5;
    static final String DB_USER = env("LATCHKEY_DB_USER", "latchkey");
    static final String DB_PASSWORD = env("LATCHKEY_DB_PASSWORD", "latchkey");

    private final Path root = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
    private final Path logs = root.resolve("e2e-tests/target/e2e-logs");
    private final Map<String, String> environment = new HashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final FakeLatchkey fake = new FakeLatchkey();
    private final String dbHost;
    private final String dbPort;
    private final String db;

    Gateways(String dbHost, String dbPort, String db) {
        this.dbHost = dbHost;
        this.dbPort = dbPort;
        this.db = db;
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        environment.put("LATCHKEY_WEBHOOK_KEK", Base64.getEncoder().encodeToString(kek));
        environment.put("LATCHKEY_WEBHOOK_GATEWAY_CLIENT_SECRET", "e2e-webhook-" + new SecureRandom().nextLong());
        environment.put("LATCHKEY_DB_HOST", dbHost);
        environment.put("LATCHKEY_DB_PORT", dbPort);
        environment.put("LATCHKEY_DB_NAME", db);
        environment.put("LATCHKEY_DB_USER", DB_USER);
        environment.put("LATCHKEY_DB_PASSWORD", DB_PASSWORD);
        environment.put("LATCHKEY_IDENTITY_ISSUER", TestTokens.ISSUER);
        // Streams poll rarely here: what reaches a stream on another replica comes through LISTEN/NOTIFY.
        environment.put("LATCHKEY_WEBHOOK_STREAM_POLL_INTERVAL", "PT60S");
    }

    static Gateways onTheE2eDatabase() {
        return new Gateways(env("LATCHKEY_DB_HOST", "localhost"), env("LATCHKEY_DB_PORT", "5432"),
                env("LATCHKEY_E2E_DB", "latchkey_e2e"));
    }

    static String url(int replica) {
        return "http://127.0.0.1:" + (BASE + replica);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + db;
    }

    /** Wipes the gateway's schema, starts FakeLatchkey and {@code replicas} gateways, and waits until all are ready. */
    void start(int replicas) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), DB_USER, DB_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists webhook cascade");
        }
        String fakeUrl = fake.start().get("latchkey.fake.url");
        environment.put("LATCHKEY_IDENTITY_URL", fakeUrl);
        environment.put("LATCHKEY_APIKEY_URL", fakeUrl);
        Files.createDirectories(logs);
        // The first replica migrates the schema; the others start once it is there.
        processes.add(launch(0));
        awaitReady(0);
        for (int i = 1; i < replicas; i++) {
            processes.add(launch(i));
        }
        for (int i = 1; i < replicas; i++) {
            awaitReady(i);
        }
    }

    void stop() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        fake.stop();
    }

    /** Starts a replica without {@code missing} in its environment and returns its exit code once it stopped. */
    int exitCodeWithout(String missing) throws Exception {
        Path log = logs.resolve("webhook-gateway-without-" + missing + ".log");
        ProcessBuilder builder = command(9).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove(missing);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    String log(String name) throws IOException {
        return Files.readString(logs.resolve(name));
    }

    private Process launch(int replica) throws IOException {
        return command(replica).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("webhook-replica-" + replica + ".log").toFile()))
                .start();
    }

    private ProcessBuilder command(int replica) {
        Path jar = root.resolve("webhook-gateway/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the services are packaged before this module runs");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString());
        builder.environment().putAll(environment);
        builder.environment().put("LATCHKEY_WEBHOOK_PORT", String.valueOf(BASE + replica));
        // Not the repository root: a .env there (deploy/compose/up writes one) would be read as configuration.
        builder.directory(logs.toFile());
        return builder;
    }

    private void awaitReady(int replica) {
        Suite.awaitReady("webhook replica " + replica, url(replica), processes.get(replica),
                logs.resolve("webhook-replica-" + replica + ".log"), Duration.ofSeconds(90));
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
