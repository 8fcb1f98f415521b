package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.sun.net.httpserver.HttpServer;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Request;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.Chromium;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What a new person and a person who forgot their password do, in a real browser, in English and in German, every
 * page audited with axe-core: sign up from a relying party's authorization request, confirm from the mail, consent,
 * back at the application with a code; forgot the password, mail, a new password, signed in, the old sessions ended.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class PersonJourneysBrowserTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    Chromium chromium;
    WebDriver driver;
    WebDriverWait wait;
    HttpServer application;
    final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        FakeTenant.install();
        // The relying party's redirect URI: a loopback port, as for the CLI.
        application = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        application.createContext("/callback", exchange -> {
            callback.complete(Browser.query("http://x" + exchange.getRequestURI()));
            byte[] body = "<!DOCTYPE html><html lang=\"en\"><title>Back</title><p id=\"back\">Back at the application</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        application.start();
        chromium = new Chromium();
        driver = chromium.driver();
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (application != null) {
            application.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "de" })
    void aNewPersonSignsUpConfirmsTheirAddressAndArrivesBackAtTheApplication(String language) throws Exception {
        String redirect = "http://127.0.0.1:" + application.getAddress().getPort() + "/callback";
        Request request = Request.cli().with(AuthorizationCodeFlowTest.CLI, redirect);
        String email = People.newEmail();

        driver.get(publicUrl + request.url() + "&ui_locales=" + language);
        present("sign-in");
        click("to-sign-up");
        present("sign-up");
        chromium.audit("sign-up-" + language);
        driver.findElement(By.id("name")).sendKeys("Grace Hopper");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys("short");
        // The browser's own check (minlength) stops a too-short password before it is sent; a long weak one is the
        // server's to refuse.
        driver.findElement(By.id("password")).sendKeys("password123");
        click("submit");
        present("error");
        chromium.audit("sign-up-error-" + language);
        driver.findElement(By.id("password")).sendKeys(SignUpPagesTest.PASSWORD);
        click("submit");
        present("message");
        chromium.audit("sign-up-sent-" + language);

        driver.get(publicUrl + EmailLinkPagesTest.link(email, "Confirm your email address"));
        present("verify");
        chromium.audit("verify-email-" + language);
        click("confirm");
        present("consent");
        click("allow");
        Map<String, String> answer = callback.get(15, TimeUnit.SECONDS);
        assertEquals(request.state(), answer.get("state"));
        assertNotNull(answer.get("code"));
        AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null, answer.get("code"), redirect,
                request.verifier()).statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "de" })
    void aPersonWhoForgotTheirPasswordChoosesANewOneAndIsSignedIn(String language) {
        SignedIn ada = People.signedIn();
        driver.get(publicUrl + Request.cli().url() + "&ui_locales=" + language);
        present("sign-in");
        click("forgot");
        present("new-link");
        chromium.audit("forgot-password-" + language);
        driver.findElement(By.id("email")).sendKeys(ada.email());
        click("send");
        present("message");

        driver.get(publicUrl + EmailLinkPagesTest.link(ada.email(), "Reset your password"));
        present("reset");
        driver.findElement(By.id("new_password")).sendKeys(EmailLinkPagesTest.NEW_PASSWORD);
        driver.findElement(By.id("new_password_again")).sendKeys(EmailLinkPagesTest.NEW_PASSWORD);
        click("submit");
        present("message");
        chromium.audit("reset-done-" + language);
        People.refresh(ada.refreshToken()).statusCode(401);

        // Signed in: the next authorization in this browser goes straight to consent.
        driver.get(publicUrl + Request.cli().url());
        present("consent");
    }

    private void present(String id) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    private void click(String id) {
        driver.findElement(By.id(id)).click();
    }
}
