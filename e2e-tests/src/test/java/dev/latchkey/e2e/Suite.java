package dev.latchkey.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The four built services as separate processes, started the way deploy/local/up starts them (the runnable
 * jars, production profile, secrets from the environment), on ports of their own and a database of their
 * own that is wiped first.
 * <p>
 * Test classes share one running suite per test JVM through {@link #shared()}: it is started by the first
 * class that asks and stopped when the JVM exits, so each class pays nothing for the start-up and a new class
 * needs no start or stop of its own. A class may restart a service but must leave the suite running.
 */
public final class Suite {

    /** Services listen on BASE+1..BASE+4 (and BASE+9 for refusal checks); LATCHKEY_E2E_PORT_BASE moves them. */
    public static final int BASE = Integer.parseInt(env("LATCHKEY_E2E_PORT_BASE", "18080"));
    public static final int IDENTITY = BASE + 1;
    public static final int APIKEY = BASE + 2;
    public static final int WEBHOOK = BASE + 3;
    public static final int TENANT = BASE + 4;
    /** Second instances ({@link #startSecondInstance}): same database, Redis and secrets, another port. */
    public static final int APIKEY_2 = BASE + 6;
    public static final int TENANT_2 = BASE + 7;
    public static final String DB = env("LATCHKEY_E2E_DB", "latchkey_e2e");
    public static final String DB_USER = env("LATCHKEY_DB_USER", "latchkey");
    public static final String DB_PASSWORD = env("LATCHKEY_DB_PASSWORD", "latchkey");
    public static final String DB_HOST = env("LATCHKEY_DB_HOST", "localhost");
    public static final String DB_PORT = env("LATCHKEY_DB_PORT", "5432");

    /** How long a service may take to become ready: a busy machine with 2 cores has needed over 90 s. */
    private static final int START_SECONDS = 240;

    /** The services, in start order, with their ports. */
    public static final Map<String, Integer> SERVICES = servicePorts();

    private static Suite shared;
    private static Exception sharedFailure;

    private final Path root;
    private final Path logs;
    private final Map<String, String> environment = new HashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Environment a test added to one service ({@link #restartWith}), kept for its later restarts. */
    private final Map<String, Map<String, String>> overrides = new HashMap<>();

    public Suite() {
        root = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
        logs = root.resolve("e2e-tests/target/e2e-logs");
        SecureRandom random = new SecureRandom();
        byte[] kek = new byte[32];
        random.nextBytes(kek);
        environment.put("LATCHKEY_IDENTITY_KEK", Base64.getEncoder().encodeToString(kek));
        random.nextBytes(kek);
        environment.put("LATCHKEY_WEBHOOK_KEK", Base64.getEncoder().encodeToString(kek));
        environment.put("LATCHKEY_TENANT_SERVICE_CLIENT_SECRET", "e2e-tenant-" + random.nextLong());
        environment.put("LATCHKEY_OPERATOR_CLIENT_SECRET", "e2e-operator-" + random.nextLong());
        environment.put("LATCHKEY_APIKEY_SERVICE_CLIENT_SECRET", "e2e-apikey-" + random.nextLong());
        environment.put("LATCHKEY_WEBHOOK_GATEWAY_CLIENT_SECRET", "e2e-webhook-" + random.nextLong());
        byte[] pepper = new byte[32];
        random.nextBytes(pepper);
        environment.put("LATCHKEY_APIKEY_PEPPER", Base64.getEncoder().encodeToString(pepper));
        // An alias header as a deployment migrating from another product configures it (e2e apikey tests).
        environment.put("LATCHKEY_API_KEY_HEADERS", "X-API-Key,X-MAO-API-Key");
        // Runs sharing a Redis (other e2e databases, a running suite) never drain each other's key uses.
        environment.put("LATCHKEY_LAST_USED_HASH", "latchkey:apikeys:last-used:" + DB);
        environment.put("LATCHKEY_DB_NAME", DB);
        environment.put("LATCHKEY_DB_PASSWORD", DB_PASSWORD);
        environment.put("LATCHKEY_IDENTITY_URL", url(IDENTITY));
        environment.put("LATCHKEY_IDENTITY_ISSUER", url(IDENTITY));
        environment.put("LATCHKEY_APIKEY_URL", url(APIKEY));
        environment.put("LATCHKEY_TENANT_URL", url(TENANT));
        environment.put("LATCHKEY_SMTP_HOST", "127.0.0.1");
        environment.put("LATCHKEY_SMTP_PORT", String.valueOf(Mail.PORT));
        environment.put("LATCHKEY_IDENTITY_PORT", String.valueOf(IDENTITY));
        environment.put("LATCHKEY_APIKEY_PORT", String.valueOf(APIKEY));
        environment.put("LATCHKEY_WEBHOOK_PORT", String.valueOf(WEBHOOK));
        environment.put("LATCHKEY_TENANT_PORT", String.valueOf(TENANT));
    }

    /**
     * The suite every test class of this JVM shares, started on first use. If it cannot start, every later
     * caller gets the same failure at once instead of trying again.
     */
    public static synchronized Suite shared() throws Exception {
        if (sharedFailure != null) {
            throw new IllegalStateException("the end-to-end suite failed to start", sharedFailure);
        }
        if (shared == null) {
            Suite suite = new Suite();
            if (Boolean.getBoolean("e2e.running")) {
                // Services someone else started on the same ports (deploy/local/up with LATCHKEY_*_PORT set, say),
                // with their secrets in this environment. Only tests that neither restart nor stop services work.
                for (String name : List.of("LATCHKEY_TENANT_SERVICE_CLIENT_SECRET", "LATCHKEY_OPERATOR_CLIENT_SECRET")) {
                    suite.environment.put(name, env(name, suite.environment.get(name)));
                }
                for (String service : SERVICES.keySet()) {
                    suite.awaitReady(service, null);
                }
                shared = suite;
                return shared;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(suite::stopAll, "e2e-suite-stop"));
            try {
                suite.start();
            } catch (Exception e) {
                sharedFailure = e;
                suite.stopAll();
                throw e;
            }
            shared = suite;
        }
        return shared;
    }

    public static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** A secret the suite generated for the services (client secrets, the KEK). */
    public String secret(String name) {
        return environment.get(name);
    }

    /** Where a service writes its log. */
    public Path log(String service) {
        return logs.resolve(service + ".log");
    }

    /** Where the services' logs are ({@code <service>.log}, {@code <service>-2.log}). */
    public Path logs() {
        return logs;
    }

    /**
     * Starts a second instance of {@code service} on {@code port}: same database, Redis and secrets, its own log
     * ({@code <service>-2.log}). Other services keep calling the first instance. {@link #stopSecondInstance}
     * stops it; so does {@link #stopAll}.
     */
    public void startSecondInstance(String service, int port) throws Exception {
        startSecondInstance(service, port, Map.of());
    }

    /** As {@link #startSecondInstance(String, int)}, with {@code extra} added to its environment. */
    public void startSecondInstance(String service, int port, Map<String, String> extra) throws Exception {
        String name = service + "-2";
        stop(name);
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process process = launch(service, name, overrides);
        processes.put(name, process);
        awaitReady(name, port, process);
    }

    public void stopSecondInstance(String service) {
        stop(service + "-2");
    }

    public void start() throws Exception {
        wipeDatabase();
        Mail.start();
        Files.createDirectories(logs);
        for (String service : SERVICES.keySet()) {
            processes.put(service, launch(service));
        }
        for (String service : SERVICES.keySet()) {
            try {
                awaitReady(service);
            } catch (IllegalStateException exited) {
                if (processes.get(service).isAlive()) {
                    throw exited;
                }
                // One more try for a start that failed on a busy machine; a second failure is real.
                System.err.println(exited.getMessage() + "; starting it once more");
                processes.put(service, launch(service));
                awaitReady(service);
            }
        }
    }

    public void restart(String service) throws Exception {
        stop(service);
        processes.put(service, launch(service));
        awaitReady(service);
    }

    /**
     * Restarts {@code service} with {@code extra} added to its environment (another Redis, a setting), for this
     * start and every later one of the service; {@code Map.of()} restores the suite's own environment. A test
     * that moves a service must move it back.
     */
    public void restartWith(String service, Map<String, String> extra) throws Exception {
        overrides.put(service, Map.copyOf(extra));
        restart(service);
    }

    /** Stops one service (until {@link #startAgain}); the others keep running. */
    public void stopService(String service) {
        stop(service);
    }

    /** Starts a service stopped with {@link #stopService} and waits until it is ready. */
    public void startAgain(String service) throws Exception {
        processes.put(service, launch(service));
        awaitReady(service);
    }

    public synchronized void stopAll() {
        for (String service : List.copyOf(processes.keySet())) {
            stop(service);
        }
        Mail.stop();
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
    public Refusal startWithout(String service, String missing) throws Exception {
        return startWith(service, missing, Map.of());
    }

    /**
     * As {@link #startWithout}, with {@code extra} added to the environment (a wrong key, JSON logs); {@code missing}
     * may be null.
     */
    public Refusal startWith(String service, String missing, Map<String, String> extra) throws Exception {
        Path log = logs.resolve(service + (missing == null ? "-refused" : "-without-" + missing) + ".log");
        Files.deleteIfExists(log);
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        if (missing != null) {
            builder.environment().remove(missing);
        }
        builder.environment().putAll(extra);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(BASE + 9));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Refusal(-1, Files.readString(log));
        }
        return new Refusal(process.exitValue(), Files.readString(log));
    }

    public record Refusal(int exitCode, String log) {
    }

    private Process launch(String service) throws IOException {
        return launch(service, service, overrides.getOrDefault(service, Map.of()));
    }

    private Process launch(String service, String name, Map<String, String> overrides) throws IOException {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the services are packaged before this module runs");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        builder.environment().putAll(environment);
        builder.environment().putAll(overrides);
        // Not the repository root: Quarkus reads a .env file in its working directory, and the root's .env
        // holds the compose stack's secrets (deploy/compose/up), which must not leak into these processes.
        builder.directory(logs.toFile());
        return builder.start();
    }

    private void awaitReady(String service) throws Exception {
        awaitReady(service, processes.get(service));
    }

    private void awaitReady(String service, Process process) throws Exception {
        awaitReady(service, SERVICES.get(service), process);
    }

    private void awaitReady(String service, int port, Process process) {
        awaitReady(service, url(port), process, logs.resolve(service + ".log"), Duration.ofSeconds(START_SECONDS));
    }

    /**
     * Waits until the service at {@code url} answers its readiness check; fails at once, naming its log, if its
     * process exits, and after {@code within} if it is still not ready.
     */
    public static void awaitReady(String service, String url, Process process, Path log, Duration within) {
        try {
            Awaitility.await(service + " ready").atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (process != null && !process.isAlive()) {
                            throw new IllegalStateException(service + " exited with " + process.exitValue()
                                    + "; see " + log);
                        }
                        return ready(url);
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(service + " not ready after " + within.toSeconds() + " s; see " + log);
        }
    }

    private static boolean ready(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url + "/q/health/ready").toURL()
                    .openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }

    /** A connection to the suite's database, for tests that look at what a service stored. */
    public static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + DB, DB_USER,
                DB_PASSWORD);
    }

    private static void wipeDatabase() throws Exception {
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            for (String schema : List.of("identity", "apikey", "webhook", "tenant")) {
                statement.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private static Map<String, Integer> servicePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("identity-service", IDENTITY);
        ports.put("apikey-service", APIKEY);
        ports.put("webhook-gateway", WEBHOOK);
        ports.put("tenant-service", TENANT);
        return java.util.Collections.unmodifiableMap(ports);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
