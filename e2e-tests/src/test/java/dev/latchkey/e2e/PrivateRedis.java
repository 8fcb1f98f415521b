package dev.latchkey.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * A redis-server of the test's own (loopback, its own port, its data in a temporary directory, append-only file on
 * as every deployment of Latchkey runs it), so that a test can stop, restart or wipe Redis without touching the one
 * other suites and people share. Runs as a child process of the test JVM; {@link #close} stops it and deletes its data.
 */
public final class PrivateRedis implements AutoCloseable {

    public final int port;
    private final Path dir;
    private Process process;

    private PrivateRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** redis-server's path, or null when Redis' server is not installed. */
    public static Path binary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    public static PrivateRedis start(int port) throws IOException {
        PrivateRedis redis = new PrivateRedis(port, Files.createTempDirectory("latchkey-redis-"));
        redis.start();
        return redis;
    }

    /** Starts the server again (after {@link #stop}) on the same port and data directory, and waits until it answers. */
    public void start() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        process = new ProcessBuilder(binary().toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.resolve("data").toString(), "--appendonly", "yes", "--save", "")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/private-redis.log"))).start();
        Awaitility.await("private Redis on port " + port).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(this::answers);
    }

    /** Stops the server (SIGTERM: Redis closes its append-only file cleanly); clients see their connections end. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** Stops the server and deletes everything it stored: the next {@link #start} is a Redis that never held anything. */
    public void stopAndWipe() throws Exception {
        stop();
        deleteData();
    }

    /** Whether it answers PING. */
    public boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            deleteData();
            Files.deleteIfExists(dir);
        }
    }

    private void deleteData() throws IOException {
        Path data = dir.resolve("data");
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(data)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
