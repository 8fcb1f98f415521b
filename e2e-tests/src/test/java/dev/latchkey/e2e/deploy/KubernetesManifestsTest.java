package dev.latchkey.e2e.deploy;

import static dev.latchkey.e2e.deploy.DeployFiles.at;
import static dev.latchkey.e2e.deploy.DeployFiles.list;
import static dev.latchkey.e2e.deploy.DeployFiles.map;
import static dev.latchkey.e2e.deploy.DeployFiles.name;
import static dev.latchkey.e2e.deploy.DeployFiles.ofKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every overlay, rendered by Kustomize, holds what running Latchkey on Kubernetes relies on: probes on the
 * SmallRye Health endpoints, requests and limits, non-root read-only containers, Services that select
 * workloads, an autoscaler and a disruption budget per service, network policies, secrets only by
 * reference, and the same ports and image names as the compose stack.
 */
class KubernetesManifestsTest {

    static List<Map<String, Object>> workloads(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> Set.of("Deployment", "StatefulSet").contains(o.get("kind"))).toList();
    }

    static List<Map<String, Object>> serviceDeployments(List<Map<String, Object>> objects) {
        return ofKind(objects, "Deployment").stream()
                .filter(d -> DeployFiles.SERVICES.contains(name(d))).toList();
    }

    static Map<String, Object> container(Map<String, Object> workload) {
        List<Object> containers = list(at(workload, "spec", "template", "spec", "containers"));
        assertEquals(1, containers.size(), name(workload) + ": one container");
        return map(containers.get(0));
    }

    static boolean selects(Object selector, Object labels) {
        Map<String, Object> wanted = map(selector);
        return !wanted.isEmpty() && map(labels).entrySet().containsAll(wanted.entrySet());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceRunsAsADeploymentWithAServiceAnAutoscalerAndADisruptionBudget(String overlay) {
        List<Map<String, Object>> objects = DeployFiles.render(overlay);
        Set<String> deployments = serviceDeployments(objects).stream().map(DeployFiles::name).collect(Collectors.toSet());
        assertEquals(Set.copyOf(DeployFiles.SERVICES), deployments, overlay);
        for (String service : DeployFiles.SERVICES) {
            Map<String, Object> deployment = ofKind(objects, "Deployment").stream()
                    .filter(d -> name(d).equals(service)).findFirst().orElseThrow();
            assertTrue(ofKind(objects, "HorizontalPodAutoscaler").stream().anyMatch(h ->
                    service.equals(at(h, "spec", "scaleTargetRef", "name"))
                            && "Deployment".equals(at(h, "spec", "scaleTargetRef", "kind"))),
                    overlay + ": no HorizontalPodAutoscaler for " + service);
            assertTrue(ofKind(objects, "PodDisruptionBudget").stream().anyMatch(p ->
                    selects(at(p, "spec", "selector", "matchLabels"), at(deployment, "spec", "template", "metadata", "labels"))),
                    overlay + ": no PodDisruptionBudget selects " + service);
            assertTrue(ofKind(objects, "Service").stream().anyMatch(s -> name(s).equals(service)),
                    overlay + ": no Service named " + service);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceObjectSelectsAWorkloadAndOneOfItsNamedPorts(String overlay) {
        List<Map<String, Object>> objects = DeployFiles.render(overlay);
        for (Map<String, Object> service : ofKind(objects, "Service")) {
            List<Map<String, Object>> selected = workloads(objects).stream()
                    .filter(w -> selects(at(service, "spec", "selector"), at(w, "spec", "template", "metadata", "labels")))
                    .toList();
            assertEquals(1, selected.size(), overlay + ": Service " + name(service) + " selects " + selected.size() + " workloads");
            Set<Object> portNames = list(container(selected.get(0)).get("ports")).stream()
                    .map(p -> map(p).get("name")).collect(Collectors.toSet());
            for (Object port : list(at(service, "spec", "ports"))) {
                assertTrue(portNames.contains(map(port).get("targetPort")),
                        overlay + ": Service " + name(service) + " targets a port its pods do not name: " + port);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "prod" })
    void everyContainerHasProbesLimitsAndRunsNonRootOnAReadOnlyRoot(String overlay) {
        for (Map<String, Object> workload : workloads(DeployFiles.render(overlay))) {
            String what = overlay + ": " + name(workload);
            Map<String, Object> c = container(workload);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertNotNull(c.get(probe), what + " has no " + probe);
            }
            if (DeployFiles.SERVICES.contains(name(workload))) {
                assertEquals("/q/health/started", at(c, "startupProbe", "httpGet", "path"), what);
                assertEquals("/q/health/live", at(c, "livenessProbe", "httpGet", "path"), what);
                assertEquals("/q/health/ready", at(c, "readinessProbe", "httpGet", "path"), what);
            }
            for (String bound : List.of("requests", "limits")) {
                assertNotNull(at(c, "resources", bound, "cpu"), what + " has no cpu " + bound);
                assertNotNull(at(c, "resources", bound, "memory"), what + " has no memory " + bound);
            }
            assertEquals(true, at(workload, "spec", "template", "spec", "securityContext", "runAsNonRoot"), what);
            assertEquals(true, at(c, "securityContext", "readOnlyRootFilesystem"), what);
            assertEquals(false, at(c, "securityContext", "allowPrivilegeEscalation"), what);
            assertEquals(List.of("ALL"), at(c, "securityContext", "capabilities", "drop"), what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "prod" })
    void portsAndImagesAgreeWithTheRoutesFileTheDockerfilesAndCompose(String overlay) {
        List<Map<String, Object>> objects = DeployFiles.render(overlay);
        Map<String, Integer> ports = DeployFiles.routes().ports();
        for (Map<String, Object> deployment : serviceDeployments(objects)) {
            String service = name(deployment);
            int port = ports.get(service);
            Map<String, Object> c = container(deployment);
            assertEquals(port, map(list(c.get("ports")).get(0)).get("containerPort"), overlay + ": " + service);
            Map<String, Object> svc = ofKind(objects, "Service").stream().filter(s -> name(s).equals(service))
                    .findFirst().orElseThrow();
            assertEquals(port, map(list(at(svc, "spec", "ports")).get(0)).get("port"), overlay + ": " + service);
            String dockerfile = DeployFiles.read(service + "/src/main/docker/Dockerfile.jvm");
            assertTrue(dockerfile.contains("\nEXPOSE " + port + "\n"), service + "'s Dockerfile.jvm exposes another port");
            assertTrue(dockerfile.contains("/dev/tcp/127.0.0.1/" + port + " "), service + "'s health check probes another port");
            String image = (String) c.get("image");
            String composeImage = (String) at(DeployFiles.compose(), "services", service, "image");
            String repository = composeImage.substring(0, composeImage.indexOf(':'));
            assertTrue(image.equals(repository + ":jvm") || image.endsWith("/" + repository + ":" + image.substring(image.lastIndexOf(':') + 1)),
                    overlay + ": " + service + " runs " + image + ", compose builds " + composeImage);
        }
        Map<String, Object> config = ofKind(objects, "ConfigMap").stream().filter(m -> name(m).equals("latchkey-config"))
                .findFirst().orElseThrow();
        assertEquals("http://identity-service:" + ports.get("identity-service"), at(config, "data", "LATCHKEY_IDENTITY_URL"));
        assertEquals("http://apikey-service:" + ports.get("apikey-service"), at(config, "data", "LATCHKEY_APIKEY_URL"));
        assertEquals("http://webhook-gateway:" + ports.get("webhook-gateway"), at(config, "data", "LATCHKEY_WEBHOOK_URL"));
        assertEquals("http://tenant-service:" + ports.get("tenant-service"), at(config, "data", "LATCHKEY_TENANT_URL"));
    }

    /** A setting a service refuses to start without reaches it: from the Secret or the shared ConfigMap. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceGetsEverySettingItCannotStartWithoutAndSecretsOnlyByReference(String overlay) {
        List<Map<String, Object>> objects = DeployFiles.render(overlay);
        assertTrue(ofKind(objects, "Secret").isEmpty(), overlay + ": a Secret with values is committed");
        Set<String> configKeys = ofKind(objects, "ConfigMap").stream().filter(m -> name(m).equals("latchkey-config"))
                .flatMap(m -> map(m.get("data")).keySet().stream()).collect(Collectors.toSet());
        Set<String> envExample = new HashSet<>();
        for (String line : DeployFiles.read(".env.example").split("\n")) {
            if (line.matches("[A-Z_]+=.*")) {
                envExample.add(line.substring(0, line.indexOf('=')));
            }
        }
        for (Map<String, Object> workload : workloads(objects)) {
            Map<String, Object> c = container(workload);
            Set<String> env = new HashSet<>(configKeys);
            for (Object e : list(c.get("env"))) {
                env.add((String) map(e).get("name"));
                Object ref = at(e, "valueFrom", "secretKeyRef");
                if (ref != null) {
                    assertEquals("latchkey-secrets", map(ref).get("name"), overlay + ": " + name(workload));
                    assertTrue(envExample.contains((String) map(ref).get("key")), overlay + ": " + name(workload)
                            + " reads " + map(ref).get("key") + " from the Secret, which .env.example does not list");
                }
                assertFalse(map(e).containsKey("value") && String.valueOf(map(e).get("name")).contains("PASSWORD"),
                        overlay + ": a password in plain text");
            }
            if (DeployFiles.SERVICES.contains(name(workload))) {
                assertTrue(list(c.get("envFrom")).stream().anyMatch(f -> "latchkey-config".equals(at(f, "configMapRef", "name"))),
                        overlay + ": " + name(workload) + " does not read latchkey-config");
                Set<String> missing = new HashSet<>(DeployFiles.requiredEnvironment(name(workload)));
                missing.removeAll(env);
                assertTrue(missing.isEmpty(), overlay + ": " + name(workload) + " would refuse to start without " + missing);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "prod" })
    void onlyLatchkeyServicesReachTheServicesAndTheDatabases(String overlay) {
        List<Map<String, Object>> objects = DeployFiles.render(overlay);
        List<Map<String, Object>> policies = ofKind(objects, "NetworkPolicy");
        assertTrue(policies.stream().anyMatch(p -> map(at(p, "spec", "podSelector")).isEmpty()
                && list(at(p, "spec", "policyTypes")).contains("Ingress") && at(p, "spec", "ingress") == null),
                overlay + ": no default-deny ingress policy");
        for (Map<String, Object> workload : workloads(objects)) {
            Object labels = at(workload, "spec", "template", "metadata", "labels");
            List<Map<String, Object>> admitting = policies.stream()
                    .filter(p -> at(p, "spec", "ingress") != null && selects(at(p, "spec", "podSelector", "matchLabels"), labels))
                    .toList();
            assertFalse(admitting.isEmpty(), overlay + ": nothing may reach " + name(workload));
            if (!DeployFiles.SERVICES.contains(name(workload))) {
                for (Map<String, Object> policy : admitting) {
                    for (Object rule : list(at(policy, "spec", "ingress"))) {
                        for (Object from : list(map(rule).get("from"))) {
                            assertEquals(Map.of("app.kubernetes.io/part-of", "latchkey", "app.kubernetes.io/component", "service"),
                                    at(from, "podSelector", "matchLabels"),
                                    overlay + ": " + name(workload) + " admits more than Latchkey's services: " + from);
                            assertFalse(map(from).containsKey("namespaceSelector"), overlay + ": " + from);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "prod" })
    void productionRunsTwoReplicasOrMoreAgainstExternalDatabases(String overlay) {
        List<Map<String, Object>> objects = DeployFiles.render(overlay);
        for (Map<String, Object> deployment : serviceDeployments(objects)) {
            assertTrue((Integer) at(deployment, "spec", "replicas") >= 2, name(deployment));
        }
        for (Map<String, Object> hpa : ofKind(objects, "HorizontalPodAutoscaler")) {
            assertTrue((Integer) at(hpa, "spec", "minReplicas") >= 2, name(hpa));
        }
        for (Map<String, Object> pdb : ofKind(objects, "PodDisruptionBudget")) {
            assertEquals(1, at(pdb, "spec", "minAvailable"), name(pdb));
        }
        assertTrue(workloads(objects).stream().allMatch(w -> DeployFiles.SERVICES.contains(name(w))),
                "prod runs no database of its own");
        Map<String, Object> ingress = ofKind(objects, "Ingress").get(0);
        assertNotNull(at(ingress, "spec", "tls"), "prod's Ingress terminates TLS");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev" })
    void developmentRunsPostgresqlAndRedisInTheCluster(String overlay) {
        Set<String> names = workloads(DeployFiles.render(overlay)).stream().map(DeployFiles::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("postgres", "redis")), names.toString());
    }
}
