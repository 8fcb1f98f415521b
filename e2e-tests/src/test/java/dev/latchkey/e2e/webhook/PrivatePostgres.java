package dev.latchkey.e2e.webhook;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temporary directory, loopback, its own port), so
 * that a test can restart PostgreSQL without disturbing anyone else's. As root, the cluster runs as the
 * {@code postgres} system user (PostgreSQL refuses to run as root).
 */
final class PrivatePostgres implements AutoCloseable {

    final int port;
    final Path dir;
    private final String pgCtl;
    private final boolean asPostgres;

    private PrivatePostgres(int port, Path dir, String pgCtl, boolean asPostgres) {
        this.port = port;
        this.dir = dir;
        this.pgCtl = pgCtl;
        this.asPostgres = asPostgres;
    }

    /** initdb's and pg_ctl's directory, or null when PostgreSQL's server binaries are not installed. */
    static Path binaries() {
        for (String candidate : List.of("/usr/local/bin", "/usr/bin", "/usr/lib/postgresql/17/bin",
                "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")) {
            Path dir = Path.of(candidate);
            if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
                return dir;
            }
        }
        return null;
    }

    static PrivatePostgres start(int port, String user, String password, String database) throws Exception {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("latchkey-pg-");
        if (root) {
            run(List.of("chown", "postgres", dir.toString()), false);
        }
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, password);
        if (root) {
            run(List.of("chown", "postgres", pwfile.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", user,
                "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8"), root);
        PrivatePostgres pg = new PrivatePostgres(port, dir, bin.resolve("pg_ctl").toString(), root);
        pg.ctl("start");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", user, password);
                Statement s = c.createStatement()) {
            s.execute("create database " + database);
        }
        return pg;
    }

    /** Restarts the server the fast way: every open connection is cut, as in a failover or a crash-restart. */
    void restart() throws Exception {
        ctl("restart", "-m", "fast");
    }

    @Override
    public void close() throws Exception {
        try {
            ctl("stop", "-m", "immediate");
        } finally {
            run(List.of("rm", "-rf", dir.toString()), false);
        }
    }

    private void ctl(String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of(pgCtl, "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=on"));
        command.addAll(List.of(action));
        run(command, asPostgres);
    }

    private static void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/private-postgres.log"))).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("failed (" + (process.isAlive() ? "timeout" : process.exitValue()) + "): " + full
                    + "; see e2e-tests/target/private-postgres.log");
        }
    }
}
