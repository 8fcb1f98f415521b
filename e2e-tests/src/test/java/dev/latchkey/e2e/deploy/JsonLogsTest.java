package dev.latchkey.e2e.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.e2e.Suite;

/**
 * The deploy issue's operations: logs switch to JSON by configuration ({@code LATCHKEY_LOG_JSON=true}, as the
 * compose stack and the Kubernetes manifests set it), one object per line that a log collector can parse, each
 * naming its service; and a caller's {@code X-Request-Id} is logged with its request. A second tenant-service
 * instance of the built jar, started the way a deployment starts it.
 */
class JsonLogsTest {

    static Suite suite;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
    }

    @AfterAll
    static void stopTheSecondInstance() {
        suite.stopSecondInstance("tenant-service");
    }

    @Test
    void withJsonLogsOnEveryLineIsAJsonObjectNamingTheServiceAndTheRequestIdIsLogged() throws Exception {
        Path log = suite.logs().resolve("tenant-service-2.log");
        long before = Files.exists(log) ? Files.size(log) : 0;
        suite.startSecondInstance("tenant-service", Suite.TENANT_2,
                Map.of("LATCHKEY_LOG_JSON", "true", "LATCHKEY_ACCESS_LOG", "true"));

        String requestId = "e2e-json-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).when().get(Suite.url(Suite.TENANT_2) + "/v1/organizations/" + UUID.randomUUID())
                .then().statusCode(401);

        List<String> lines = awaitLineWith(log, before, requestId);
        assertFalse(lines.isEmpty());
        boolean started = false;
        boolean requestLogged = false;
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertTrue(entry.isObject(), line);
            assertEquals("tenant-service", entry.path("service").asText(), line);
            assertTrue(entry.hasNonNull("timestamp") && entry.hasNonNull("level") && entry.hasNonNull("message"), line);
            String message = entry.path("message").asText();
            started |= message.contains("started in");
            requestLogged |= message.contains("request_id=" + requestId) && message.contains(" 401 ");
        }
        assertTrue(started, "the start-up line is JSON too:\n" + String.join("\n", lines));
        assertTrue(requestLogged, "an access-log line carries the request id and status:\n" + String.join("\n", lines));
    }

    /**
     * A service that cannot start says why, in JSON too: {@code deploy/log-cause} (what {@code deploy/local/up} and
     * {@code deploy/compose/up} print) reads the first ERROR record and its innermost cause, here identity-service
     * started with a key-encryption key that does not open its stored signing keys.
     */
    @Test
    void aServiceThatCannotStartLogsItsCauseInJsonAndLogCauseNamesIt() throws Exception {
        byte[] wrong = new byte[32];
        new java.security.SecureRandom().nextBytes(wrong);
        Suite.Refusal refusal = suite.startWith("identity-service", null, Map.of("LATCHKEY_LOG_JSON", "true",
                "LATCHKEY_IDENTITY_KEK", java.util.Base64.getEncoder().encodeToString(wrong)));
        assertTrue(refusal.exitCode() != 0, refusal.log());
        for (String line : refusal.log().lines().filter(line -> !line.isBlank()).toList()) {
            assertTrue(JSON.readTree(line).isObject(), line);
        }
        // What runs on in the background after the failed start (the revocation subscription) stays quiet.
        assertFalse(refusal.log().contains("No CDI container"), refusal.log());
        Process cause = new ProcessBuilder(DeployFiles.ROOT.resolve("deploy/log-cause").toString())
                .redirectErrorStream(true).start();
        cause.getOutputStream().write(refusal.log().getBytes(StandardCharsets.UTF_8));
        cause.getOutputStream().close();
        String said = new String(cause.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cause.waitFor());
        assertTrue(said.contains("key-encryption key"), said);
        assertTrue(said.lines().count() <= 3, "a cause, not a stack trace:\n" + said);
    }

    /** The lines written since {@code offset}, once one of them contains {@code needle} (the access log is asynchronous). */
    static List<String> awaitLineWith(Path log, long offset, String needle) {
        AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
        try {
            return Awaitility.await("a line with " + needle + " in " + log).atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        byte[] all = Files.readAllBytes(log);
                        String written = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
                        seen.set(written.lines().filter(line -> !line.isBlank()).toList());
                        return written.contains(needle) ? seen.get() : null;
                    }, found -> found != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no line with " + needle + " in " + log + ":\n" + String.join("\n", seen.get()));
        }
    }
}
