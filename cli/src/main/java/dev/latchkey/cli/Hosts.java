package dev.latchkey.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The name of this machine, as shown on the consent page and in the key's name. */
final class Hosts {

    private Hosts() {
    }

    static String name(Map<String, String> env) {
        String name = env.get("HOSTNAME");
        if (name == null || name.isBlank()) {
            name = env.get("COMPUTERNAME");
        }
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/etc/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "unknown-host";
            }
        }
        String clean = name.strip().replaceAll("[^A-Za-z0-9._-]", "-");
        return clean.length() > 60 ? clean.substring(0, 60) : clean;
    }
}
