package dev.latchkey.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the deploy checks read: {@code deploy/routes}, the compose file, the Kubernetes overlays rendered by
 * Kustomize, each service's OpenAPI document (stored at build time in {@code <service>/target/openapi/},
 * see latchkey-common's Operations settings) and its configuration.
 *
 * <p>Kustomize is run as {@code kubectl kustomize} (kubectl embeds it), or as a standalone {@code kustomize}
 * when that is what is installed: rendering with the tool users run is the point, so there is no
 * re-implementation here. Without either, the Kubernetes checks are skipped, except under CI, where they fail.
 */
final class DeployFiles {

    static final Path ROOT = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("identity-service", "apikey-service", "webhook-gateway",
            "tenant-service");
    static final List<String> OVERLAYS = List.of("dev", "prod");

    private static final Pattern REQUIRED_ENV = Pattern.compile("\\$\\{(LATCHKEY_[A-Z0-9_]+)}");

    private DeployFiles() {
    }

    // --- deploy/routes -----------------------------------------------------------------------------

    record Route(String prefix, String service, boolean hidden) {
    }

    record Routes(Map<String, Integer> ports, List<Route> routes) {

        /** The service the edge sends {@code path} to: the longest matching routed prefix, or empty. */
        Optional<String> ownerOf(String path) {
            return routes.stream().filter(r -> !r.hidden() && matches(r.prefix(), path))
                    .max(Comparator.comparingInt(r -> r.prefix().length())).map(Route::service);
        }

        boolean hiddenFor(String path, String service) {
            return routes.stream().anyMatch(r -> r.hidden() && r.service().equals(service)
                    && matches(r.prefix(), path));
        }

        List<Route> routed() {
            return routes.stream().filter(r -> !r.hidden()).toList();
        }
    }

    /** Kubernetes pathType Prefix: whole path segments. */
    static boolean matches(String prefix, String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    static Routes routes() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<Route> routes = new ArrayList<>();
        for (String line : read("deploy/routes").split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f[0].isEmpty() || f[0].startsWith("#")) {
                continue;
            }
            switch (f[0]) {
                case "service" -> ports.put(f[1], Integer.parseInt(f[2]));
                case "route" -> routes.add(new Route(f[1], f[2], false));
                case "hidden" -> routes.add(new Route(f[1], f[2], true));
                default -> fail("deploy/routes: unknown line: " + line);
            }
        }
        return new Routes(ports, routes);
    }

    // --- files --------------------------------------------------------------------------------------

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        return new Yaml(new SafeConstructor(options));
    }

    static Map<String, Object> compose() {
        return map(yaml().load(read("docker-compose.yml")));
    }

    /** The paths of a service's OpenAPI document as the build stored it. */
    static Set<String> openApiPaths(String service) {
        Path stored = ROOT.resolve(service).resolve("target/openapi/openapi.yaml");
        assertTrue(Files.isRegularFile(stored), stored + " is missing: the services are packaged before this "
                + "module runs, with quarkus.smallrye-openapi.store-schema-directory set in its application.properties");
        Set<String> paths = map(at(yaml().load(read(ROOT.relativize(stored).toString())), "paths")).keySet();
        assertTrue(!paths.isEmpty(), service + "'s OpenAPI document has no paths");
        return paths;
    }

    /**
     * Environment variables a service cannot start without in production: {@code ${LATCHKEY_...}} with no
     * default in a setting of no profile, in the service's application.properties.
     */
    static Set<String> requiredEnvironment(String service) {
        Set<String> required = new LinkedHashSet<>();
        for (String file : List.of(service + "/src/main/resources/application.properties")) {
            for (String line : read(file).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("%")) {
                    continue;
                }
                Matcher m = REQUIRED_ENV.matcher(l);
                while (m.find()) {
                    required.add(m.group(1));
                }
            }
        }
        return required;
    }

    /** The default HTTP port in a service's application.properties ({@code quarkus.http.port=${X:8081}}). */
    static int configuredPort(String service) {
        Matcher m = Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{[A-Z_]+:(\\d+)}")
                .matcher(read(service + "/src/main/resources/application.properties"));
        assertTrue(m.find(), service + ": no quarkus.http.port with a default");
        return Integer.parseInt(m.group(1));
    }

    // --- Kustomize -------------------------------------------------------------------------------------

    private static final Map<String, List<Map<String, Object>>> RENDERED = new LinkedHashMap<>();

    static synchronized List<Map<String, Object>> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, DeployFiles::runKustomize);
    }

    private static List<Map<String, Object>> runKustomize(String overlay) {
        Path dir = ROOT.resolve("deploy/kubernetes/overlays").resolve(overlay);
        List<String> command;
        if (onPath("kubectl")) {
            command = List.of("kubectl", "kustomize", dir.toString());
        } else if (onPath("kustomize")) {
            command = List.of("kustomize", "build", dir.toString());
        } else {
            if ("true".equals(System.getenv("CI"))) {
                fail("neither kubectl nor kustomize is installed: the Kubernetes overlays cannot be rendered");
            }
            Assumptions.abort("neither kubectl nor kustomize is installed: Kubernetes overlays not rendered");
            return List.of();
        }
        Result result = run(command);
        assertEquals(0, result.exitCode(), "rendering " + overlay + " failed:\n" + result.output());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : yaml().loadAll(result.output())) {
            if (document != null) {
                objects.add(map(document));
            }
        }
        return objects;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static String name(Map<String, Object> object) {
        return (String) map(object.get("metadata")).get("name");
    }

    // --- processes -------------------------------------------------------------------------------------

    record Result(int exitCode, String output) {
    }

    static boolean onPath(String program) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static Result run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result run(List<String> command) {
        return run(command, Map.of());
    }

    // --- untyped YAML -----------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    /** Follows keys through nested maps; null when one is missing. */
    static Object at(Object root, String... keys) {
        Object current = root;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }
}
