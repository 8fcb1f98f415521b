package dev.latchkey.identity.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven headless through chromium-driver, with a fresh profile per instance: what a person's
 * browser does with the pages, CSP and cookies included. {@link #audit} checks a page as the house standard asks:
 * axe-core's WCAG 2.x A/AA rules clean, and nothing wider than a 320 px screen.
 */
public final class Chromium implements AutoCloseable {

    /** Where deploy/local/provision puts axe-core (LATCHKEY_AXE_DIR moves it, for both). */
    private static final Path AXE = Path.of(System.getenv().getOrDefault("LATCHKEY_AXE_DIR",
            System.getProperty("user.home") + "/.cache/latchkey/axe-core"), "node_modules/axe-core/axe.min.js");
    /** The rule sets a page must pass: WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
    private static final String AXE_TAGS = "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']";
    private static final Path SHOTS = Path.of("target", "screenshots");

    private final Path profile;
    private final ChromeDriver driver;
    private String axe;

    public Chromium() {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "Debian's chromium and chromium-driver are needed (deploy/local/provision installs them)");
        try {
            profile = Files.createTempDirectory("latchkey-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Audits the page on screen: axe-core finds no WCAG A/AA violation, at desktop width and at 320 px, where the
     * page must not scroll sideways either. Screenshots of both land in target/screenshots/{@code name}-*.png, to
     * look at when a page changes.
     */
    public void audit(String name) {
        for (int width : new int[] {1280, 320}) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", 800, "deviceScaleFactor", 1, "mobile", width < 600));
            List<String> violations = axeViolations();
            assertTrue(violations.isEmpty(), name + " at " + width + " px breaks accessibility rules:\n"
                    + String.join("\n", violations));
            if (width == 320) {
                Object overflow = driver.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertTrue(((Number) overflow).longValue() <= 0,
                        name + " is " + overflow + " px wider than a 320 px screen");
            }
            screenshot(name + "-" + width);
        }
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    @SuppressWarnings("unchecked")
    private List<String> axeViolations() {
        if (axe == null) {
            assertTrue(Files.isReadable(AXE), AXE + " is missing: run deploy/local/provision (it fetches axe-core)");
            try {
                axe = Files.readString(AXE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // Injected through the driver, not the page: the pages' CSP forbids scripts they did not serve.
        driver.executeScript(axe);
        Object found = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: " + AXE_TAGS + "}})"
                + ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '"
                + " + v.nodes.map(n => n.target.join(' ')).join(', '))))"
                + ".catch(e => done(['axe failed: ' + e]));");
        return (List<String>) found;
    }

    private void screenshot(String name) {
        try {
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile is harmless.
        }
    }
}
