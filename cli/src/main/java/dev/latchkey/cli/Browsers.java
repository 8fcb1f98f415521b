package dev.latchkey.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Opens a URL in the person's browser with the platform's own opener (xdg-open, open, the Windows URL handler):
 * no AWT, which is absent from headless and native builds. False when there is no graphical session or the
 * opener fails; the URL is then printed.
 */
final class Browsers {

    private Browsers() {
    }

    static boolean open(String url) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> command;
        if (os.contains("mac")) {
            command = List.of("open", url);
        } else if (os.contains("win")) {
            command = List.of("rundll32", "url.dll,FileProtocolHandler", url);
        } else {
            if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
                return false;
            }
            command = List.of("xdg-open", url);
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) ? p.exitValue() == 0 : true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
