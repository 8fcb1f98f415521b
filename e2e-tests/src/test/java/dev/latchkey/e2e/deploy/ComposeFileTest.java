package dev.latchkey.e2e.deploy;

import static dev.latchkey.e2e.deploy.DeployFiles.at;
import static dev.latchkey.e2e.deploy.DeployFiles.list;
import static dev.latchkey.e2e.deploy.DeployFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml validates with docker-compose and holds what the one-host deployment relies on: only
 * the edge is published, everything waits for what it needs to be healthy, secrets come from .env and
 * none has a default, data lives in named volumes, and PostgreSQL and Redis are not reachable from the edge.
 */
class ComposeFileTest {

    static final Map<String, Object> COMPOSE = DeployFiles.compose();
    static final Pattern REQUIRED = Pattern.compile("\\$\\{(LATCHKEY_[A-Z0-9_]+):\\?[^}]*}");

    static Map<String, Object> service(String name) {
        Map<String, Object> service = map(at(COMPOSE, "services", name));
        assertFalse(service.isEmpty(), "docker-compose.yml has no service " + name);
        return service;
    }

    static Set<String> envExample() {
        Set<String> keys = new HashSet<>();
        for (String line : DeployFiles.read(".env.example").split("\n")) {
            if (line.matches("[A-Z_]+=.*")) {
                keys.add(line.substring(0, line.indexOf('=')));
            }
        }
        return keys;
    }

    @Test
    void validatesWithDockerCompose() throws Exception {
        if (!DeployFiles.onPath("docker-compose")) {
            if ("true".equals(System.getenv("CI"))) {
                fail("docker-compose is not installed (.ci/run installs it)");
            }
            Assumptions.abort("docker-compose is not installed");
        }
        // An empty env file in place of .env: the values below are the only ones.
        java.nio.file.Path empty = java.nio.file.Files.createTempFile("latchkey-compose", ".env");
        empty.toFile().deleteOnExit();
        Map<String, String> secrets = new HashMap<>();
        for (String key : envExample()) {
            secrets.put(key, "check-" + key.toLowerCase());
        }
        DeployFiles.Result result = DeployFiles.run(
                List.of("docker-compose", "--env-file", empty.toString(), "-f", "docker-compose.yml", "config", "-q"), secrets);
        assertEquals(0, result.exitCode(), result.output());
        DeployFiles.Result missing = DeployFiles.run(
                List.of("docker-compose", "--env-file", empty.toString(), "-f", "docker-compose.yml", "config", "-q"),
                Map.of("LATCHKEY_DB_PASSWORD", ""));
        assertTrue(missing.exitCode() != 0 && missing.output().contains("LATCHKEY_"),
                "compose must refuse to start without its secrets:\n" + missing.output());
    }

    @Test
    void onlyTheEdgeIsPublishedOn8080And8443() {
        for (Map.Entry<String, Object> entry : map(COMPOSE.get("services")).entrySet()) {
            Object ports = map(entry.getValue()).get("ports");
            if (entry.getKey().equals("edge")) {
                assertEquals(List.of("8080:8080", "8443:8443"), ports);
            } else {
                assertEquals(null, ports, entry.getKey() + " publishes ports");
            }
        }
    }

    @Test
    void everythingWaitsForWhatItNeedsToBeHealthyAndHasAHealthCheck() {
        for (String name : List.of("postgres", "redis", "edge")) {
            assertNotNull(at(service(name), "healthcheck", "test"), name + " has no health check");
        }
        for (String name : DeployFiles.SERVICES) {
            String dockerfile = DeployFiles.read(name + "/src/main/docker/Dockerfile.jvm");
            assertTrue(dockerfile.contains("\nHEALTHCHECK "), name + "'s image has no HEALTHCHECK");
            assertTrue(dockerfile.contains("/q/health/ready"), name + "'s health check is not readiness");
            for (String dependency : List.of("postgres", "redis")) {
                assertEquals("service_healthy", at(service(name), "depends_on", dependency, "condition"), name);
            }
            assertEquals("service_healthy", at(service("edge"), "depends_on", name, "condition"), "edge -> " + name);
        }
    }

    @Test
    void servicesRunReadOnlyWithoutPrivilegesFromTheirOwnImages() {
        for (String name : DeployFiles.SERVICES) {
            Map<String, Object> service = service(name);
            assertEquals(true, service.get("read_only"), name);
            assertEquals(List.of("ALL"), service.get("cap_drop"), name);
            assertTrue(String.valueOf(service.get("image")).startsWith("latchkey/" + name + ":"), name);
            assertEquals(name, at(service, "build", "context"), name);
            assertEquals("src/main/docker/Dockerfile.jvm", at(service, "build", "dockerfile"), name);
            String dockerfile = DeployFiles.read(name + "/src/main/docker/Dockerfile.jvm");
            Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(dockerfile);
            assertTrue(user.find() && !user.group(1).equals("root") && !user.group(1).equals("0"), name + " runs as root");
            assertTrue(dockerfile.contains("-XX:AOTCache=app.aot"), name + " starts without its AOT cache");
            assertTrue(dockerfile.contains("LABEL org.opencontainers.image.title=\"latchkey-" + name + "\""), name);
        }
        assertEquals(true, service("edge").get("read_only"));
        assertNotNull(service("edge").get("user"), "the edge runs as root");
    }

    /** Every setting a service refuses to start without is given to it, from .env, with no default. */
    @Test
    void everyRequiredSettingComesFromDotEnvWithoutADefault() {
        Set<String> example = envExample();
        String raw = DeployFiles.read("docker-compose.yml");
        Matcher m = REQUIRED.matcher(raw);
        Set<String> requiredInCompose = new HashSet<>();
        while (m.find()) {
            requiredInCompose.add(m.group(1));
        }
        assertTrue(example.containsAll(requiredInCompose), ".env.example lacks some of " + requiredInCompose);
        for (String name : DeployFiles.SERVICES) {
            Map<String, Object> environment = map(service(name).get("environment"));
            for (String required : DeployFiles.requiredEnvironment(name)) {
                Object value = environment.get(required);
                assertNotNull(value, name + " would refuse to start: docker-compose.yml does not give it " + required);
                assertTrue(String.valueOf(value).matches("\\$\\{" + required + ":\\?[^}]*}"),
                        name + ": " + required + " must be required from .env (${" + required + ":?...}), not " + value);
            }
        }
    }

    @Test
    void dataLivesInNamedVolumesAndTheDatabasesAreNotOnTheEdgesNetwork() {
        Set<String> volumes = map(COMPOSE.get("volumes")).keySet();
        assertTrue(list(service("postgres").get("volumes")).contains("postgres-data:/var/lib/postgresql/data"));
        assertTrue(list(service("redis").get("volumes")).contains("redis-data:/data"));
        assertTrue(volumes.containsAll(Set.of("postgres-data", "redis-data")));
        assertEquals(true, at(COMPOSE, "networks", "back", "internal"), "the back network must be internal");
        assertEquals(List.of("back"), service("postgres").get("networks"));
        assertEquals(List.of("back"), service("redis").get("networks"));
        assertEquals(List.of("front"), service("edge").get("networks"));
    }
}
