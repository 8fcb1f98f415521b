package dev.latchkey.e2e;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The four built services as separate processes, started the way deploy/local/up starts them (the runnable
 * jars, production profile, secrets from the environment), on ports of their own and a database of their
 * own that is wiped first.
 */
final class Suite {

    static final int IDENTITY = 18081;
    static final int APIKEY = 18082;
    static final int WEBHOOK = 18083;
    static final int TENANT = 18084;
    static final String DB = "latchkey_e2e";
    static final String DB_USER = env("LATCHKEY_DB_USER", "latchkey");
    static final String DB_PASSWORD = env("LATCHKEY_DB_PASSWORD", "latchkey");
    static final String DB_HOST = env("LATCHKEY_DB_HOST", "localhost");
    static final String DB_PORT = env("LATCHKEY_DB_PORT", "5432");

    private static final List<String> SERVICES = List.of("identity-service", "apikey-service", "webhook-gateway",
            "tenant-service");

    private final Path root;
    private final Path logs;
    private final Map<String, String> environment = new HashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    Suite() {
        root = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
        logs = root.resolve("e2e-tests/target/e2e-logs");
        SecureRandom random = new SecureRandom();
        byte[] kek = new byte[32];
        random.nextBytes(kek);
        environment.put("LATCHKEY_IDENTITY_KEK", Base64.getEncoder().encodeToString(kek));
        environment.put("LATCHKEY_TENANT_SERVICE_CLIENT_SECRET", "e2e-tenant-" + random.nextLong());
        environment.put("LATCHKEY_OPERATOR_CLIENT_SECRET", "e2e-operator-" + random.nextLong());
        environment.put("LATCHKEY_DB_NAME", DB);
        environment.put("LATCHKEY_DB_PASSWORD", DB_PASSWORD);
        environment.put("LATCHKEY_IDENTITY_URL", url(IDENTITY));
        environment.put("LATCHKEY_IDENTITY_ISSUER", url(IDENTITY));
        environment.put("LATCHKEY_APIKEY_URL", url(APIKEY));
        environment.put("LATCHKEY_IDENTITY_PORT", String.valueOf(IDENTITY));
        environment.put("LATCHKEY_APIKEY_PORT", String.valueOf(APIKEY));
        environment.put("LATCHKEY_WEBHOOK_PORT", String.valueOf(WEBHOOK));
        environment.put("LATCHKEY_TENANT_PORT", String.valueOf(TENANT));
    }

    static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    String secret(String name) {
        return environment.get(name);
    }

    void start() throws Exception {
        wipeDatabase();
        Files.createDirectories(logs);
        for (String service : SERVICES) {
            processes.put(service, launch(service));
        }
        for (String service : SERVICES) {
            awaitReady(service);
        }
    }

    void restart(String service) throws Exception {
        stop(service);
        processes.put(service, launch(service));
        awaitReady(service);
    }

    void stopAll() {
        for (String service : List.copyOf(processes.keySet())) {
            stop(service);
        }
    }

    private void stop(String service) {
        Process process = processes.remove(service);
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Starts {@code service} without the environment variable {@code missing} on a spare port and returns
     * its exit code and log once it has stopped (a production service must refuse to start without its
     * secrets).
     */
    Refusal startWithout(String service, String missing) throws Exception {
        Path log = logs.resolve(service + "-without-" + missing + ".log");
        Files.deleteIfExists(log);
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().remove(missing);
        builder.environment().put("QUARKUS_HTTP_PORT", "18089");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Refusal(-1, Files.readString(log));
        }
        return new Refusal(process.exitValue(), Files.readString(log));
    }

    record Refusal(int exitCode, String log) {
    }

    private Process launch(String service) throws IOException {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the services are packaged before this module runs");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile()));
        builder.environment().putAll(environment);
        builder.directory(new File(root.toString()));
        return builder.start();
    }

    private void awaitReady(String service) throws Exception {
        int port = switch (service) {
            case "identity-service" -> IDENTITY;
            case "apikey-service" -> APIKEY;
            case "webhook-gateway" -> WEBHOOK;
            default -> TENANT;
        };
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            Process process = processes.get(service);
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited with " + process.exitValue() + "; see "
                        + logs.resolve(service + ".log"));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url(port) + "/q/health/ready").toURL()
                        .openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " not ready after 90 s; see " + logs.resolve(service + ".log"));
    }

    private static void wipeDatabase() throws Exception {
        String jdbc = "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + DB;
        try (Connection connection = DriverManager.getConnection(jdbc, DB_USER, DB_PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String schema : List.of("identity", "apikey", "webhook", "tenant")) {
                statement.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
