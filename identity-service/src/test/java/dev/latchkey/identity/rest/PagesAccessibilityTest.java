package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Request;
import dev.latchkey.identity.support.Chromium;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every page a person meets on the way through an authorization, in a real browser, checked by axe-core (WCAG 2.x A
 * and AA) at desktop width and at 320 px: the sign-in page with and without an error, the organization choice, the
 * consent page with its sign-out form, the device page with and without an error, the page that ends it all, and
 * the page shown for a broken request. Screenshots land in identity-service/target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class PagesAccessibilityTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    Chromium chromium;
    WebDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void start() {
        FakeTenant.install();
        chromium = new Chromium();
        driver = chromium.driver();
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theAuthorizationPagesPassAxeAndFitA320PixelScreen() {
        SignedIn ada = People.signedIn();
        FakeTenant.join(ada.userId(), "Acme Corporation", "admin");

        driver.get(publicUrl + Request.cli().url());
        present("sign-in");
        chromium.audit("sign-in");

        driver.findElement(By.id("email")).sendKeys(ada.email());
        driver.findElement(By.id("password")).sendKeys("not the password");
        driver.findElement(By.id("submit")).click();
        present("error");
        // The address stays filled in, so the password field has the focus, and the error describes both fields.
        assertEquals("password", driver.switchTo().activeElement().getAttribute("id"));
        assertEquals("error", driver.findElement(By.id("password")).getAttribute("aria-describedby"));
        chromium.audit("sign-in-error");

        driver.findElement(By.id("password")).sendKeys(People.PASSWORD);
        driver.findElement(By.id("submit")).click();
        present("organization");
        chromium.audit("organization");

        driver.findElement(By.id("continue")).click();
        present("consent");
        chromium.audit("consent");

        driver.findElement(By.id("sign-out-button")).click();
        present("message");
        chromium.audit("signed-out");
    }

    @Test
    void theGermanAndFrenchPagesPassAxeAndFitA320PixelScreen() {
        SignedIn ada = People.signedIn();
        driver.get(publicUrl + Request.cli().url() + "&ui_locales=de");
        present("sign-in");
        assertEquals("de", driver.findElement(By.tagName("html")).getAttribute("lang"));
        chromium.audit("sign-in-de");

        driver.findElement(By.id("email")).sendKeys(ada.email());
        driver.findElement(By.id("password")).sendKeys(People.PASSWORD);
        driver.findElement(By.id("submit")).click();
        present("consent");
        chromium.audit("consent-de");

        // The switcher, by keyboard as much as by mouse: a link to the same page in French.
        driver.findElement(By.cssSelector("nav.languages a[hreflang=fr]")).click();
        present("consent");
        assertEquals("fr", driver.findElement(By.tagName("html")).getAttribute("lang"));
        chromium.audit("consent-fr");
    }

    @Test
    void theMailLinkPagesPassAxeAndFitA320PixelScreen() {
        SignedIn ada = People.signedIn();
        driver.get(publicUrl + EmailLinkPagesTest.link(ada.email(), "Confirm your email address"));
        present("verify");
        chromium.audit("verify-email");

        io.restassured.RestAssured.given().contentType("application/json").body(java.util.Map.of("email", ada.email()))
                .when().post("/v1/auth/password-reset").then().statusCode(202);
        driver.get(publicUrl + EmailLinkPagesTest.link(ada.email(), "Reset your password"));
        present("reset");
        chromium.audit("reset-password");
        driver.findElement(By.id("new_password")).sendKeys(EmailLinkPagesTest.NEW_PASSWORD);
        driver.findElement(By.id("new_password_again")).sendKeys("something else entirely");
        driver.findElement(By.id("submit")).click();
        present("error");
        // The field in error has the focus and is described by the message.
        assertEquals("new_password_again", driver.switchTo().activeElement().getAttribute("id"));
        chromium.audit("reset-password-error");

        driver.get(publicUrl + "/reset-password?token=" + "z".repeat(43));
        present("new-link");
        chromium.audit("link-stale");
    }

    @Test
    void theDevicePageAndTheErrorPagePassAxeAndFitA320PixelScreen() {
        driver.get(publicUrl + "/v1/oauth/device");
        present("device");
        chromium.audit("device");

        driver.findElement(By.id("user_code")).sendKeys("BCDF-GHJK");
        driver.findElement(By.id("continue")).click();
        present("error");
        chromium.audit("device-error");

        driver.get(publicUrl + "/v1/oauth/authorize?response_type=code&client_id=no-such-client");
        present("message");
        assertTrue(driver.findElement(By.id("message")).getText().length() > 10, "the error page says what went wrong");
        chromium.audit("error");
    }

    private void present(String id) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }
}
