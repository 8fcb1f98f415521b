package dev.latchkey.webhook.rest;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A redis-server of the test's own on a spare loopback port, which the test may stop and start again (the
 * shared Redis on 6379 is never touched).
 */
public class PrivateRedis implements QuarkusTestResourceLifecycleManager {

    private static int port;
    private static Process process;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        startRedis();
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        stopRedis();
    }

    private static boolean listening() {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    public static synchronized void startRedis() {
        try {
            process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is needed for this test", e);
        }
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(PrivateRedis::listening);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("redis-server did not start on port " + port);
        }
    }

    public static synchronized void stopRedis() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }
}
