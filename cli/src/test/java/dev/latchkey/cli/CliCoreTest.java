package dev.latchkey.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The CLI's sharp parts in plain JUnit: PKCE, the credentials file's modes, the loopback receiver, URLs. */
class CliCoreTest {

    @TempDir
    Path home;

    @Test
    void pkceMatchesRfc7636AppendixB() {
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        String verifier = Pkce.newVerifier();
        assertEquals(43, verifier.length());
        assertTrue(verifier.matches("[A-Za-z0-9_-]{43}"));
        assertNotEquals(verifier, Pkce.newVerifier());
    }

    @Test
    void stateComparisonRefusesAnythingButTheSameValue() {
        String state = Pkce.random(32);
        assertTrue(Pkce.sameState(state, state));
        assertFalse(Pkce.sameState(state, null));
        assertFalse(Pkce.sameState(state, state + "x"));
        assertFalse(Pkce.sameState(state, state.substring(1)));
    }

    @Test
    void theFileFollowsXdgConfigHomeElseDotConfig() {
        assertEquals(Path.of("/x/latchkey/credentials.json"),
                CredentialsStore.defaultFile(Map.of("XDG_CONFIG_HOME", "/x"), "/home/ada"));
        assertEquals(Path.of("/home/ada/.config/latchkey/credentials.json"),
                CredentialsStore.defaultFile(Map.of(), "/home/ada"));
        // The XDG spec: a relative value is invalid and ignored.
        assertEquals(Path.of("/home/ada/.config/latchkey/credentials.json"),
                CredentialsStore.defaultFile(Map.of("XDG_CONFIG_HOME", "relative"), "/home/ada"));
    }

    @Test
    void credentialsAreWrittenPrivateAndReadBack() throws Exception {
        Path file = home.resolve("cfg/latchkey/credentials.json");
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        CredentialsStore store = new CredentialsStore(file, new PrintStream(warnings, true, StandardCharsets.UTF_8));
        assertNull(store.read());
        ObjectNode c = Json.object();
        c.put("key", "lk_secret");
        c.put("key_id", "k1");
        store.write(c);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("lk_secret", Json.text(store.read(), "key"));
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        assertTrue(store.delete());
        assertNull(store.read());
    }

    @Test
    void looseModesAreWarnedAboutAndTightened() throws Exception {
        Path file = home.resolve("latchkey/credentials.json");
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        CredentialsStore store = new CredentialsStore(file, new PrintStream(warnings, true, StandardCharsets.UTF_8));
        ObjectNode c = Json.object();
        c.put("key", "lk_secret");
        store.write(c);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals("lk_secret", Json.text(store.read(), "key"));
        String said = warnings.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("had mode 0644"), said);
        assertTrue(said.contains("had mode 0755"), said);
        assertTrue(said.contains("changed it to 0600"), said);
        assertFalse(said.contains("lk_secret"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void aFileThatIsNotCredentialsIsRefusedClearly() throws Exception {
        Path file = home.resolve("latchkey/credentials.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not json");
        CredentialsStore store = new CredentialsStore(file, new PrintStream(new ByteArrayOutputStream()));
        CliException e = assertThrows(CliException.class, store::read);
        assertEquals(Exit.ERROR, e.exitCode());
        assertEquals("credentials_unreadable", e.code());
    }

    @Test
    void theLoopbackAnswersOneCallbackOnlyAndShowsTheOutcome() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            String redirect = receiver.redirectUri();
            assertTrue(redirect.matches("http://127\\.0\\.0\\.1:[0-9]+/callback"), redirect);
            String base = redirect.substring(0, redirect.length() - "/callback".length());
            // Another path (a favicon, a probe) neither counts nor consumes the callback.
            assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(base + "/favicon.ico")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            CompletableFuture<HttpResponse<String>> tab = client.sendAsync(HttpRequest.newBuilder(URI.create(
                    redirect + "?code=c%2B1&state=s&state=t&iss=http%3A%2F%2Fx")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> answer = receiver.await(Duration.ofSeconds(10));
            assertEquals("c+1", answer.get("code"));
            assertEquals("http://x", answer.get("iss"));
            assertNull(answer.get("state"), "a parameter sent twice is not trusted");
            assertFalse(tab.isDone(), "the tab waits for the outcome");
            receiver.finish(new LoopbackReceiver.Page(true, "You are logged in", "<close> this tab"));
            HttpResponse<String> page = tab.get();
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("id=\"done\""));
            assertTrue(page.body().contains("&lt;close&gt; this tab"));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));

            assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(redirect + "?code=again&state=s")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the second callback is refused");
        }
    }

    @Test
    void serversDefaultToTheLocalSuiteLayoutOrOneOrigin() {
        Servers local = Servers.resolve("http://localhost:8081/", null, null);
        assertEquals(new Servers("http://localhost:8081", "http://localhost:8082", "http://localhost:8084"), local);
        Servers edge = Servers.resolve("https://auth.example.com", null, null);
        assertEquals(new Servers("https://auth.example.com", "https://auth.example.com", "https://auth.example.com"), edge);
        Servers explicit = Servers.resolve("http://127.0.0.1:28081", "http://127.0.0.1:28082", "http://127.0.0.1:28084");
        assertEquals("http://127.0.0.1:28082", explicit.apikey());
        CliException e = assertThrows(CliException.class, () -> Servers.resolve("ftp://x", null, null));
        assertEquals(Exit.USAGE, e.exitCode());
        assertThrows(CliException.class, () -> Servers.resolve("http://user:pw@x", null, null));
    }

    @Test
    void commandsAnswerTheirDocumentedExitCodes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Latchkey.Context context = new Latchkey.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), home.resolve("none/credentials.json"));
        assertEquals(Exit.NOT_LOGGED_IN, Latchkey.run(context, "whoami"));
        assertEquals(Exit.NOT_LOGGED_IN, Latchkey.run(context, "logout", "-o", "json"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("\"exit_code\":3"), err.toString(StandardCharsets.UTF_8));
        assertEquals(Exit.USAGE, Latchkey.run(context, "login", "--timeout", "soon"));
        assertEquals(Exit.UNREACHABLE, Latchkey.run(context, "login", "--server", "http://127.0.0.1:1", "--no-browser"));
        assertEquals(Exit.OK, Latchkey.run(context, "whoami", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Exit codes:"));
    }
}
