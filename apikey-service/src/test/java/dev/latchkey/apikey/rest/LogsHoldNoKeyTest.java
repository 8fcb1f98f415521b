package dev.latchkey.apikey.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Runs after every other test of this module (junit-platform.properties orders classes by {@code @Order}) and
 * scans the log they all wrote, at DEBUG for Latchkey's own code: no key any test created, rotated or presented
 * may appear in it, not even its random part.
 */
@QuarkusTest
@Order(Integer.MAX_VALUE)
class LogsHoldNoKeyTest {

    @Test
    void noPlaintextKeyIsInTheLog() throws Exception {
        Path log = Path.of("target/apikey-service-test.log");
        assertTrue(Files.exists(log), "the test log is written to " + log.toAbsolutePath());
        String text = Files.readString(log);
        assertTrue(text.contains("DEBUG"), "Latchkey's debug lines are in the log, so the scan means something");
        assertTrue(Fixtures.PLAINTEXTS.size() > 20, "the other tests ran first: " + Fixtures.PLAINTEXTS.size() + " keys");
        for (String key : Fixtures.PLAINTEXTS) {
            String random = key.length() > 20 ? key.substring(key.length() - 30, key.length() - 8) : key;
            assertFalse(text.contains(random), "a key is in the log (its start: " + key.substring(0, 7) + ")");
        }
    }
}
