package dev.latchkey.e2e.deploy;

import static dev.latchkey.e2e.deploy.DeployFiles.at;
import static dev.latchkey.e2e.deploy.DeployFiles.list;
import static dev.latchkey.e2e.deploy.DeployFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.e2e.deploy.DeployFiles.Route;
import dev.latchkey.e2e.deploy.DeployFiles.Routes;

/**
 * One public origin: every public path of every service (from its OpenAPI document, so a new endpoint is
 * covered without touching this test) reaches that service through the compose edge and through the
 * Ingress of every overlay, both generated from deploy/routes; nothing under /internal or /q is routed.
 */
class EdgeRoutesTest {

    static final Routes ROUTES = DeployFiles.routes();

    static boolean isPublic(String path) {
        return !path.startsWith("/internal/") && !path.equals("/internal") && !path.startsWith("/q/");
    }

    @Test
    void everyPublicPathOfEveryServiceIsRoutedToThatService() {
        List<String> problems = new ArrayList<>();
        for (String service : DeployFiles.SERVICES) {
            for (String path : DeployFiles.openApiPaths(service)) {
                if (!isPublic(path) || ROUTES.hiddenFor(path, service)) {
                    continue;
                }
                String owner = ROUTES.ownerOf(path).orElse("nothing (edge 404)");
                if (!owner.equals(service)) {
                    problems.add(service + " serves " + path + " but the edge routes it to " + owner);
                }
            }
        }
        assertTrue(problems.isEmpty(), "add a route to deploy/routes (then run deploy/generate-routes) or "
                + "move the endpoint:\n  " + String.join("\n  ", problems));
    }

    @Test
    void noInternalOrManagementPathIsRouted() {
        for (Route route : ROUTES.routed()) {
            assertTrue(isPublic(route.prefix() + "/"), "deploy/routes exposes " + route.prefix());
            assertFalse(route.prefix().equals("/") || route.prefix().isEmpty(), "a catch-all route exposes everything");
        }
        for (String service : DeployFiles.SERVICES) {
            for (String path : DeployFiles.openApiPaths(service)) {
                if (!isPublic(path)) {
                    assertTrue(ROUTES.ownerOf(path).isEmpty(), path + " of " + service + " is routed at the edge");
                }
            }
        }
    }

    @Test
    void everyRouteNamesAKnownServiceAndItsPort() {
        assertEquals(new TreeSet<>(DeployFiles.SERVICES), new TreeSet<>(ROUTES.ports().keySet()));
        for (Route route : ROUTES.routes()) {
            assertTrue(ROUTES.ports().containsKey(route.service()), route + " names an unknown service");
        }
        for (String service : DeployFiles.SERVICES) {
            assertEquals(DeployFiles.configuredPort(service), ROUTES.ports().get(service),
                    "deploy/routes and " + service + "'s quarkus.http.port disagree");
        }
    }

    /** The compose edge's locations are exactly deploy/routes, each as an exact and a sub-path location. */
    @Test
    void composeEdgeLocationsAreTheRoutesFile() {
        Pattern location = Pattern.compile(
                "location (=|\\^~) (\\S+) \\{ set \\$latchkey_upstream ([a-z-]+):(\\d+); proxy_pass http://\\$latchkey_upstream; }");
        Set<String> actual = new LinkedHashSet<>();
        for (String line : DeployFiles.read("deploy/compose/edge/routes.conf").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = location.matcher(line.strip());
            assertTrue(m.matches(), "unexpected line in deploy/compose/edge/routes.conf: " + line);
            actual.add(m.group(1) + " " + m.group(2) + " -> " + m.group(3) + ":" + m.group(4));
        }
        Set<String> expected = new LinkedHashSet<>();
        for (Route route : ROUTES.routed()) {
            String upstream = route.service() + ":" + ROUTES.ports().get(route.service());
            expected.add("= " + route.prefix() + " -> " + upstream);
            expected.add("^~ " + route.prefix() + "/ -> " + upstream);
        }
        assertEquals(expected, actual, "deploy/compose/edge/routes.conf is stale: run deploy/generate-routes");
        String nginx = DeployFiles.read("deploy/compose/edge/nginx.conf");
        assertTrue(nginx.contains("include /etc/nginx/latchkey/routes.conf;"), "the edge does not include its routes");
        assertTrue(nginx.contains("location / {\n            return 404 '{\"error\":\"Not Found\",\"code\":\"not_found\""),
                "anything unrouted must answer the JSON 404");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "prod" })
    void ingressRoutesExactlyTheRoutesFile(String overlay) {
        List<Map<String, Object>> ingresses = DeployFiles.ofKind(DeployFiles.render(overlay), "Ingress");
        assertEquals(1, ingresses.size(), overlay + ": one Ingress");
        Set<String> actual = new LinkedHashSet<>();
        for (Object rule : list(at(ingresses.get(0), "spec", "rules"))) {
            for (Object p : list(at(rule, "http", "paths"))) {
                assertEquals("Prefix", map(p).get("pathType"), overlay + ": " + p);
                assertEquals("http", at(p, "backend", "service", "port", "name"), overlay + ": " + p);
                actual.add(map(p).get("path") + " -> " + at(p, "backend", "service", "name"));
            }
        }
        Set<String> expected = new LinkedHashSet<>();
        for (Route route : ROUTES.routed()) {
            expected.add(route.prefix() + " -> " + route.service());
        }
        assertEquals(expected, actual, overlay + ": the Ingress is stale: run deploy/generate-routes");
    }
}
