package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * The sign-in pages in a real browser (Debian's chromium and chromium-driver, headless, a fresh profile): a person
 * signs in for the CLI, which listens on a loopback port as RFC 8252 says. This is where the Content-Security-
 * Policy, the cookies (SameSite=Lax across the redirects) and form-action towards the loopback redirect are
 * checked by the party that enforces them.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class SignInBrowserTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    WebDriver driver;
    HttpServer cli;
    Chromium chromium;
    final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        FakeTenant.install();
        // The CLI's side: one request on a loopback port, the code in its query.
        cli = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cli.createContext("/callback", exchange -> {
            callback.complete(Browser.query("http://x" + exchange.getRequestURI().toString()));
            byte[] body = "<!DOCTYPE html><title>Done</title><p id=\"done\">You can close this window.</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        cli.start();
        chromium = new Chromium();
        driver = chromium.driver();
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (cli != null) {
            cli.stop(0);
        }
    }

    @Test
    void aPersonSignsInForTheCliAndTheCodeReachesItsLoopbackPort() throws Exception {
        SignedIn ada = People.signedIn();
        String redirect = "http://127.0.0.1:" + cli.getAddress().getPort() + "/callback";
        Request request = Request.cli().with(AuthorizationCodeFlowTest.CLI, redirect);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));

        driver.get(publicUrl + request.url());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in")));
        assertTrue(driver.getPageSource().contains("Latchkey CLI"));
        driver.findElement(By.id("email")).sendKeys(ada.email());
        driver.findElement(By.id("password")).sendKeys("not the password");
        driver.findElement(By.id("submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error")));

        driver.findElement(By.id("password")).sendKeys(People.PASSWORD);
        driver.findElement(By.id("submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("consent")));
        assertTrue(driver.findElement(By.id("host")).getText().contains("ada-laptop"));
        assertEquals(ada.email(), driver.findElement(By.id("who")).getText());
        driver.findElement(By.id("allow")).click();

        Map<String, String> answer = callback.get(15, TimeUnit.SECONDS);
        assertEquals(request.state(), answer.get("state"));
        assertNotNull(answer.get("code"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
        AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null, answer.get("code"), redirect,
                request.verifier()).statusCode(200);

        // The browser stays signed in: the next authorization goes straight to consent.
        Request second = Request.cli().with(AuthorizationCodeFlowTest.CLI, redirect);
        driver.get(publicUrl + second.url());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("consent")));
        driver.findElement(By.id("deny")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
    }
}
