package dev.latchkey.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The credentials file: {@code $XDG_CONFIG_HOME/latchkey/credentials.json} (or {@code ~/.config/latchkey/...}),
 * the file {@code 0600} in a directory {@code 0700}. It holds the API key and what {@code whoami} and
 * {@code logout} need to find the servers; never an OAuth token, code or state.
 * <p>
 * Written atomically: a new file is created with mode 0600 from the start (never chmod-ed after the secret is
 * in it), synced, then renamed over the old one. Reading a file or directory that others can read or write warns
 * and tightens it: the key is a secret either way, but a loose mode usually means a copy or an editor changed it.
 */
public final class CredentialsStore {

    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final PrintStream warnings;

    public CredentialsStore(Path file, PrintStream warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    /** The default place, from the environment: XDG_CONFIG_HOME when set and absolute, else ~/.config. */
    public static Path defaultFile(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(userHome, ".config");
        return base.resolve("latchkey").resolve("credentials.json");
    }

    public Path file() {
        return file;
    }

    /** The stored credentials, or null when there are none. */
    public ObjectNode read() {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        tighten(file.getParent(), DIR_MODE, "directory");
        tighten(file, FILE_MODE, "file");
        try {
            JsonNode node = Json.parse(Files.readAllBytes(file));
            if (node instanceof ObjectNode object && Json.text(object, "key") != null) {
                return object;
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // handled below
        }
        throw new CliException(Exit.ERROR, "credentials_unreadable", file + " is not a credentials file this CLI "
                + "wrote. Remove it (the key in it, if any, stays valid until revoked) and run `latchkey login`.");
    }

    public void write(ObjectNode credentials) {
        try {
            Path dir = file.getParent();
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, asAttribute(DIR_MODE));
                } else {
                    // Windows: the directory inherits the user profile's ACL, private to the user.
                    Files.createDirectories(dir);
                }
            }
            tighten(dir, DIR_MODE, "directory");
            Path temp = dir.resolve(".credentials.json." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(temp);
            try {
                if (posix) {
                    Files.createFile(temp, asAttribute(FILE_MODE));
                    // A umask can only take bits away; this makes it exactly 0600 while the file is still empty.
                    Files.setPosixFilePermissions(temp, FILE_MODE);
                } else {
                    Files.createFile(temp);
                }
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cannot create " + temp, e);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                out.write((Json.pretty(credentials) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException(Exit.ERROR, "credentials_not_written", "Cannot write " + file + ": "
                    + e.getMessage());
        }
    }

    /** Removes the file; true when there was one. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliException(Exit.ERROR, "credentials_not_deleted", "Cannot delete " + file + ": "
                    + e.getMessage());
        }
    }

    private void tighten(Path path, Set<PosixFilePermission> wanted, String what) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (!mode.equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
                warnings.println("warning: the credentials " + what + " " + path + " had mode "
                        + octal(mode) + " (" + PosixFilePermissions.toString(mode) + "); changed it to " + octal(wanted)
                        + ". The key in it may have been readable by others: run `latchkey logout` and "
                        + "`latchkey login` if that matters.");
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the user's profile directory is private already.
        } catch (IOException e) {
            warnings.println("warning: cannot check the mode of " + path + ": " + e.getMessage());
        }
    }

    static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", bits);
    }

    private static FileAttribute<Set<PosixFilePermission>> asAttribute(Set<PosixFilePermission> mode) {
        return PosixFilePermissions.asFileAttribute(mode);
    }
}
