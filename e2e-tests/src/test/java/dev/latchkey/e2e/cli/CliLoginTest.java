package dev.latchkey.e2e.cli;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.e2e.Suite;
import dev.latchkey.e2e.cli.Cli.Home;
import dev.latchkey.e2e.cli.Cli.Run;
import dev.latchkey.e2e.cli.Cli.Running;
import dev.latchkey.e2e.cli.PagesOverHttp.Page;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * {@code latchkey login / whoami / logout} as a user runs them: the built CLI (cli/bin/latchkey) as a process
 * against the four production builds. The whole login once in a real headless Chromium; the refusals with the pages
 * driven over HTTP, where the test must hold a code back, deny, or let a device code expire.
 */
class CliLoginTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String APIKEY = Suite.url(Suite.APIKEY);
    static final String TENANT = Suite.url(Suite.TENANT);
    static final String WEBHOOK = Suite.url(Suite.WEBHOOK);
    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();

    Home home;

    @BeforeAll
    static void startTheSuite() throws Exception {
        Suite.shared();
    }

    @AfterEach
    void removeHome() throws Exception {
        if (home != null) {
            try (var files = Files.walk(home.dir())) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Person(String email, String userId, String personalOrg, String teamOrg, String teamSlug, String teamName) {
    }

    /** A registered person with a personal organization and a team they own (so the picker shows). */
    static Person person() {
        String email = "cli-" + UUID.randomUUID() + "@example.com";
        String userId = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "name", "Ada Cli"))
                .when().post(IDENTITY + "/v1/auth/register").then().statusCode(201).extract().path("id");
        JsonPath login = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .when().post(IDENTITY + "/v1/auth/login").then().statusCode(200).extract().jsonPath();
        String teamName = "Team " + UUID.randomUUID().toString().substring(0, 8);
        JsonPath team = given().auth().oauth2(login.getString("access_token")).contentType(ContentType.JSON)
                .body(Map.of("name", teamName)).when().post(TENANT + "/v1/organizations").then().statusCode(201)
                .extract().jsonPath();
        return new Person(email, userId, login.getString("organization.id"), team.getString("id"),
                team.getString("slug"), teamName);
    }

    // ---- the whole login in a real browser ------------------------------------------------------------------------

    @Test
    void aPersonLogsInInChromiumPicksAnOrganizationAndLogoutRevokesTheKeyEverywhere() throws Exception {
        Person ada = person();
        home = Home.fresh();
        Running login = home.start(Cli.login("--no-browser", "-o", "json"));
        String url = login.authorizeUrl();
        Map<String, String> asked = query(URI.create(url));
        assertEquals("latchkey-cli", asked.get("client_id"));
        assertEquals("S256", asked.get("code_challenge_method"));
        assertTrue(asked.get("redirect_uri").matches("http://127\\.0\\.0\\.1:[0-9]+/callback"), asked.get("redirect_uri"));
        assertTrue(asked.get("state").length() >= 43);

        String codeUrl;
        Path profile = Files.createTempDirectory("latchkey-cli-chromium-");
        WebDriver driver = chromium(profile);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(url);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in")));
            assertTrue(driver.getPageSource().contains("Latchkey CLI"));
            driver.findElement(By.id("email")).sendKeys(ada.email());
            driver.findElement(By.id("password")).sendKeys(PASSWORD);
            driver.findElement(By.id("submit")).click();

            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("organization")));
            driver.findElement(By.id("org-" + ada.teamSlug())).click();
            driver.findElement(By.id("continue")).click();

            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("consent")));
            assertEquals(ada.teamName(), driver.findElement(By.id("org")).getText());
            assertTrue(driver.findElement(By.id("host")).getText().contains(asked.get("host")),
                    "the consent page names the host the CLI runs on");
            driver.findElement(By.id("allow")).click();

            // The tab ends on the CLI's own page, once the key is stored.
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
            assertTrue(driver.findElement(By.id("message")).getText().contains("close this tab"));
            codeUrl = driver.getCurrentUrl();
        } finally {
            driver.quit();
            deleteTree(profile);
        }

        Run done = login.result();
        assertEquals(0, done.exit(), done.toString());
        JsonNode result = JSON.readTree(done.out());
        assertEquals(ada.email(), result.path("user").path("email").asText());
        assertEquals(ada.teamOrg(), result.path("organization").path("id").asText());
        assertEquals("owner", result.path("role").asText());
        assertEquals("read_write", result.path("key").path("capability").asText());
        assertFalse(done.out().contains("lk_"), "the key is never printed");

        // Only the key is on disk, privately; no OAuth token, code or state.
        Path file = home.credentials();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        JsonNode stored = JSON.readTree(file.toFile());
        String key = stored.path("key").asText();
        String keyId = stored.path("key_id").asText();
        assertTrue(key.startsWith("lk_"), stored.toString());
        String raw = Files.readString(file);
        for (String forbidden : new String[] { "access_token", "refresh_token", "lkac_", asked.get("state") }) {
            assertFalse(raw.contains(forbidden), "the credentials file holds no " + forbidden);
        }

        // The OAuth session the code started was ended once the key existed: the person's active sessions are the
        // browser's and the one listing them, none of the CLI's.
        String token = given().contentType(ContentType.JSON).body(Map.of("email", ada.email(), "password", PASSWORD))
                .when().post(IDENTITY + "/v1/auth/login").then().statusCode(200).extract().path("access_token");
        java.util.List<String> devices = given().auth().oauth2(token).when().get(IDENTITY + "/v1/sessions").then()
                .statusCode(200).extract().jsonPath().getList("sessions.device", String.class);
        assertFalse(devices.isEmpty());
        assertTrue(devices.stream().noneMatch(d -> d != null && d.startsWith("latchkey-cli/")), devices.toString());

        // The key works at every service and belongs to the team the person picked.
        given().header("X-API-Key", key).when().get(TENANT + "/v1/organizations/" + ada.teamOrg()).then().statusCode(200);
        given().header("X-API-Key", key).when().get(APIKEY + "/v1/api-keys/" + keyId).then().statusCode(200)
                .body("name", equalTo(stored.path("key_name").asText())).body("created_by.id", equalTo(ada.userId()));
        assertTrue(stored.path("key_name").asText().startsWith("latchkey-cli " + asked.get("host") + " "));

        // The code the browser carried to the CLI cannot be used again.
        Map<String, String> callback = query(URI.create(codeUrl));
        given().formParam("grant_type", "authorization_code").formParam("client_id", "latchkey-cli")
                .formParam("code", callback.get("code")).formParam("redirect_uri", asked.get("redirect_uri"))
                .formParam("code_verifier", "a".repeat(43)).when().post(IDENTITY + "/v1/oauth/token").then()
                .statusCode(400).body("error", equalTo("invalid_grant")).body("code", equalTo("code_reused"));

        Run whoami = home.run("whoami");
        assertEquals(0, whoami.exit(), whoami.toString());
        for (String shown : new String[] { ada.email(), ada.teamName(), "owner", stored.path("key_name").asText(),
                "read_write", "whole organization" }) {
            assertTrue(whoami.out().contains(shown), "whoami shows " + shown + ":\n" + whoami.out());
        }
        JsonNode me = JSON.readTree(home.run("whoami", "--output", "json").out());
        assertEquals(ada.userId(), me.path("user").path("id").asText());
        assertEquals("owner", me.path("role").asText());
        assertEquals(keyId, me.path("key").path("id").asText());

        Run logout = home.run("logout");
        assertEquals(0, logout.exit(), logout.toString());
        assertFalse(Files.exists(file));
        assertRefusedEverywhere(key);
        assertEquals(3, home.run("whoami").exit(), "not logged in any more");
    }

    static void assertRefusedEverywhere(String key) {
        given().header("X-API-Key", key).when().get(APIKEY + "/v1/api-keys").then().statusCode(401)
                .body("code", equalTo("api_key_revoked"));
        given().header("Authorization", "Bearer " + key).when().get(TENANT + "/v1/me/organizations").then()
                .statusCode(401);
        given().header("X-API-Key", key).when().get(WEBHOOK + "/v1/webhook-providers").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("api_key", key)).when().post(IDENTITY + "/v1/auth/token")
                .then().statusCode(401).body("code", equalTo("api_key_revoked"));
    }

    // ---- refusals ------------------------------------------------------------------------------------------------

    @Test
    void anAnswerWithAnotherStateIsRefusedAndNothingIsSaved() throws Exception {
        home = Home.fresh();
        Running login = home.start(Cli.login("--no-browser"));
        Map<String, String> asked = query(URI.create(login.authorizeUrl()));
        Page tab = new PagesOverHttp().get(asked.get("redirect_uri") + "?code=lkac_forged&state=not-the-state");
        assertTrue(tab.has("failed"), tab.body());
        Run done = login.result();
        assertEquals(8, done.exit(), done.toString());
        assertTrue(done.err().contains("state"), done.err());
        assertFalse(Files.exists(home.credentials()));
    }

    @Test
    void denyingInTheBrowserEndsTheLoginWithExit5() throws Exception {
        Person bob = person();
        home = Home.fresh();
        Running login = home.start(Cli.login("--no-browser"));
        PagesOverHttp pages = new PagesOverHttp();
        Page picker = pages.signIn(pages.get(login.authorizeUrl()), bob.email(), PASSWORD);
        Page back = pages.decide(pages.pick(picker, bob.personalOrg()), "deny");
        assertTrue(back.location().contains("error=access_denied"), back.location());
        Page tab = pages.get(back.location());
        assertTrue(tab.has("failed") && tab.body().contains("denied"), tab.body());
        Run done = login.result();
        assertEquals(5, done.exit(), done.toString());
        assertTrue(done.err().contains("denied"), done.err());
        assertFalse(Files.exists(home.credentials()));
    }

    @Test
    void aCodeThatExpiredBeforeTheCliUsedItIsRefused() throws Exception {
        Person cy = person();
        home = Home.fresh();
        Running login = home.start(Cli.login("--no-browser"));
        PagesOverHttp pages = new PagesOverHttp();
        Page picker = pages.signIn(pages.get(login.authorizeUrl()), cy.email(), PASSWORD);
        Page back = pages.decide(pages.pick(picker, cy.personalOrg()), "allow");
        String code = query(URI.create(back.location())).get("code");
        assertNotNull(code, back.location());
        // Codes live 60 s: this one is made older than that before it reaches the CLI.
        sql("update identity.authorization_codes set expires_at = now() - interval '1 second' where code_hash = ?",
                sha256Hex(code));
        Page tab = pages.get(back.location());
        assertTrue(tab.has("failed"), tab.body());
        Run done = login.result();
        assertEquals(8, done.exit(), done.toString());
        assertTrue(done.err().contains("expired"), done.err());
        assertFalse(Files.exists(home.credentials()));
    }

    @Test
    void theServerRefusesToSendTheCodeAnywhereButLoopback() throws Exception {
        home = Home.fresh();
        Running login = home.start(Cli.login("--no-browser", "--timeout", "60"));
        String url = login.authorizeUrl();
        String port = URI.create(query(URI.create(url)).get("redirect_uri")).getPort() + "";
        try {
            for (String evil : new String[] { "http://evil.example/callback", "http://127.0.0.1.evil.example/callback",
                    "http://localhost:" + port + "/callback", "http://attacker@127.0.0.1:" + port + "/callback",
                    "https://127.0.0.1:" + port + "/callback" }) {
                String tampered = url.replaceAll("redirect_uri=[^&]+", "redirect_uri="
                        + java.net.URLEncoder.encode(evil, StandardCharsets.UTF_8));
                Page page = new PagesOverHttp().get(tampered);
                assertEquals(400, page.status(), evil + "\n" + page.body());
                assertEquals(null, page.location(), evil + " is never redirected to");
            }
        } finally {
            login.kill();
        }
    }

    @Test
    void noAnswerInTimeUnreachableServerAndUsageErrorsHaveTheirExitCodes() throws Exception {
        home = Home.fresh();
        Run late = home.run(Cli.login("--no-browser", "--timeout", "2"));
        assertEquals(6, late.exit(), late.toString());
        assertTrue(late.err().contains("within 2 s"), late.err());

        Run away = home.run("login", "--server", Suite.url(Suite.BASE + 9), "--no-browser");
        assertEquals(4, away.exit(), away.toString());
        assertTrue(away.err().contains("Cannot reach"), away.err());

        Run json = home.run("login", "--server", Suite.url(Suite.BASE + 9), "--no-browser", "-o", "json");
        assertEquals(4, json.exit());
        assertEquals("server_unreachable", JSON.readTree(json.err()).path("error").path("code").asText());

        assertEquals(2, home.run("login", "--timeout", "soon").exit());
        assertEquals(3, home.run("logout").exit());
    }

    // ---- --org, --read-only, loose modes, a key revoked elsewhere -------------------------------------------------

    @Test
    void orgAndReadOnlyLooseModesFixedAndAKeyRevokedElsewhereIsReported() throws Exception {
        Person dee = person();
        home = Home.fresh();
        // The person picks the personal organization in the browser while --org names the team: the organization
        // allowed is part of the grant (the CLI's token may not switch it), so the login says to pick the team.
        Running mismatch = home.start(Cli.login("--no-browser", "--read-only", "--org", dee.teamSlug()));
        PagesOverHttp pages = new PagesOverHttp();
        Page picker = pages.signIn(pages.get(mismatch.authorizeUrl()), dee.email(), PASSWORD);
        pages.get(pages.decide(pages.pick(picker, dee.personalOrg()), "allow").location());
        Run refused = mismatch.result();
        assertEquals(5, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("pick " + dee.teamName()), refused.err());

        // Picked in the browser as --org says: the key is the team's.
        Running login = home.start(Cli.login("--no-browser", "--read-only", "--org", dee.teamSlug()));
        Page picking = pages.follow(pages.get(login.authorizeUrl()));
        Page back = pages.decide(picking.has("organization") ? pages.pick(picking, dee.teamOrg()) : picking, "allow");
        Page tab = pages.get(back.location());
        assertTrue(tab.has("done"), tab.body());
        Run done = login.result();
        assertEquals(0, done.exit(), done.toString());
        JsonNode stored = JSON.readTree(home.credentials().toFile());
        assertEquals(dee.teamOrg(), stored.path("organization_id").asText());
        assertEquals("read", stored.path("capability").asText());
        String key = stored.path("key").asText();

        // A read key cannot change anything...
        given().header("X-API-Key", key).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .when().post(APIKEY + "/v1/api-keys").then().statusCode(403).body("code", equalTo("scope_insufficient"));

        // Someone loosened the file's and directory's modes: warned, and tightened again.
        Files.setPosixFilePermissions(home.credentials(), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(home.credentials().getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Run whoami = home.run("whoami");
        assertEquals(0, whoami.exit(), whoami.toString());
        assertTrue(whoami.err().contains("had mode 0644") && whoami.err().contains("had mode 0755"), whoami.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.credentials())));
        assertEquals("rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(home.credentials().getParent())));
        assertTrue(whoami.out().contains(dee.teamName()) && whoami.out().contains("read"), whoami.out());

        // Logging in again replaces the key; the old one (a read key: any key may revoke itself) is revoked.
        Running again = home.start(Cli.login("--no-browser"));
        Page consent = pages.follow(pages.get(again.authorizeUrl()));
        if (consent.has("organization")) {
            consent = pages.pick(consent, dee.personalOrg());
        }
        pages.get(pages.decide(consent, "allow").location());
        Run replaced = again.result();
        assertEquals(0, replaced.exit(), replaced.toString());
        assertTrue(replaced.err().contains("Revoked the key of the previous login"), replaced.err());
        assertRefusedEverywhere(key);

        // The new key is then revoked elsewhere (say, in the console): whoami says so, with exit 7.
        JsonNode second = JSON.readTree(home.credentials().toFile());
        assertEquals(dee.personalOrg(), second.path("organization_id").asText());
        given().header("X-API-Key", second.path("key").asText()).when()
                .delete(APIKEY + "/v1/api-keys/" + second.path("key_id").asText()).then().statusCode(200);
        Run revoked = home.run("whoami");
        assertEquals(7, revoked.exit(), revoked.toString());
        assertTrue(revoked.err().contains("revoked"), revoked.err());
        Run cleanup = home.run("logout", "-o", "json");
        assertEquals(0, cleanup.exit(), cleanup.toString());
        assertEquals("already_unusable", JSON.readTree(cleanup.out()).path("outcome").asText());
        assertFalse(Files.exists(home.credentials()));
    }

    // ---- the device flow (RFC 8628) ---------------------------------------------------------------------------------

    @Test
    void deviceLoginAllowedDeniedAndExpired() throws Exception {
        Person eve = person();
        home = Home.fresh();

        // Allowed: the person types the code on the device page of any browser.
        Running device = home.start(Cli.login("--device"));
        PagesOverHttp pages = new PagesOverHttp();
        Page after = enterCode(pages, device.userCode(), eve);
        Page end = pages.decide(after.has("organization") ? pages.pick(after, eve.teamOrg()) : after, "allow");
        assertTrue(end.body().contains("Device connected"), end.body());
        Run done = device.result();
        assertEquals(0, done.exit(), done.toString());
        assertEquals(eve.teamOrg(), JSON.readTree(home.credentials().toFile()).path("organization_id").asText());
        assertEquals(0, home.run("logout").exit());

        // Denied.
        Running denied = home.start(Cli.login("--device"));
        Page consent = enterCode(pages, denied.userCode(), eve);
        pages.decide(consent.has("organization") ? pages.pick(consent, eve.teamOrg()) : consent, "deny");
        Run no = denied.result();
        assertEquals(5, no.exit(), no.toString());
        assertFalse(Files.exists(home.credentials()));

        // Expired before anyone entered it.
        Running expiring = home.start(Cli.login("--device"));
        String userCode = expiring.userCode();
        sql("update identity.device_authorizations set expires_at = now() - interval '1 second' where user_code = replace(?, '-', '')",
                userCode);
        Run late = expiring.result();
        assertEquals(6, late.exit(), late.toString());
        assertTrue(late.err().contains("expired"), late.err());
        assertFalse(Files.exists(home.credentials()));
    }

    private static Page enterCode(PagesOverHttp pages, String userCode, Person who) throws Exception {
        Page form = pages.get(IDENTITY + "/v1/oauth/device");
        Page next = pages.follow(pages.post("/v1/oauth/device", Map.of("csrf", form.field("csrf"), "user_code", userCode)));
        return next.has("sign-in") ? pages.signIn(next, who.email(), PASSWORD) : next;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static WebDriver chromium(Path profile) {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "Debian's chromium and chromium-driver are needed (apt-get install chromium chromium-driver; .ci/run does)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    static void sql(String statement, String parameter) throws Exception {
        // A PostgreSQL shared with other runs may have no connection slot free for a moment (53300).
        Awaitility.await(statement).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsMatching(e -> e instanceof SQLException sql && "53300".equals(sql.getSQLState()))
                .until(() -> {
                    try (Connection c = Suite.database(); PreparedStatement s = c.prepareStatement(statement)) {
                        s.setString(1, parameter);
                        assertEquals(1, s.executeUpdate(), statement);
                        return true;
                    }
                });
    }

    static String sha256Hex(String value) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
