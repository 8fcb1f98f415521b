package dev.latchkey.e2e.deploy;

import static dev.latchkey.e2e.deploy.DeployFiles.at;
import static dev.latchkey.e2e.deploy.DeployFiles.list;
import static dev.latchkey.e2e.deploy.DeployFiles.map;
import static dev.latchkey.e2e.deploy.DeployFiles.name;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Wherever the project starts Redis, it keeps an append-only file where a restart finds it again: deploy/local's
 * provision, the compose stack and the Kubernetes dev overlay. Revocations do not depend on it (PostgreSQL is their
 * record and every service reloads them from there), but rate-limit state and announcements in flight survive a
 * restart, and a Redis that forgets everything at every restart is not what the READMEs describe.
 */
class RedisPersistenceTest {

    @Test
    void provisionStartsRedisWithAnAppendOnlyFileOutsideATemporaryDirectory() {
        String provision = DeployFiles.read("deploy/local/provision");
        assertTrue(provision.contains("--appendonly yes"), "provision starts Redis without persistence");
        assertFalse(provision.contains("--appendonly no"), "provision still has --appendonly no");
        assertTrue(provision.contains("--dir \"$REDIS_DIR\""), "provision does not give Redis a data directory");
        assertTrue(provision.contains("/run/redis-$REDIS_PORT"), "the data directory is not under deploy/local/run/");
    }

    @Test
    void composeRunsRedisWithAnAppendOnlyFileInANamedVolume() {
        Map<String, Object> redis = ComposeFileTest.service("redis");
        String command = String.join(" ", list(redis.get("command")).stream().map(String::valueOf).toList());
        assertTrue(command.contains("--appendonly yes"), command);
        assertTrue(list(redis.get("volumes")).contains("redis-data:/data"), redis.toString());
    }

    @Test
    void theKubernetesDevOverlayRunsRedisWithAnAppendOnlyFileOnAPersistentVolumeClaim() {
        Map<String, Object> redis = KubernetesManifestsTest.workloads(DeployFiles.render("dev")).stream()
                .filter(w -> "redis".equals(name(w))).findFirst().orElseThrow();
        assertTrue("StatefulSet".equals(redis.get("kind")), "Redis is a StatefulSet");
        Map<String, Object> container = KubernetesManifestsTest.container(redis);
        String command = String.join(" ", list(container.get("command")).stream().map(String::valueOf).toList());
        assertTrue(command.contains("--appendonly yes"), command);
        List<Object> claims = list(at(redis, "spec", "volumeClaimTemplates"));
        assertTrue(claims.stream().anyMatch(c -> "data".equals(name(map(c)))), "no volume claim named data");
        assertTrue(list(container.get("volumeMounts")).stream()
                .anyMatch(m -> "data".equals(map(m).get("name")) && "/data".equals(map(m).get("mountPath"))),
                "the claim is not mounted at /data");
    }
}
