package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Request;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The links in the verification and reset mails open Latchkey's own pages. A GET never uses the link (mail scanners
 * open links first): the page says what will happen and a button POSTs. A stale link says so and offers a new mail.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class EmailLinkPagesTest {

    static final String NEW_PASSWORD = "a brand new correct horse battery";

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    /** The path and query of the link in the last mail with {@code subject} to {@code address}. */
    static String link(String address, String subject) {
        Matcher m = Pattern.compile("(https?://\\S+)").matcher(MailServer.awaitMail(address, subject));
        assertTrue(m.find(), "no link in the mail");
        URI uri = URI.create(m.group(1));
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    @Nested
    class Verification {

        @Test
        void openingTheLinkUsesNothingAndTheButtonConfirmsTheAddress() {
            SignedIn ada = People.signedIn();
            String link = link(ada.email(), "Confirm your email address");
            assertTrue(link.startsWith("/verify-email?token="), link);
            // A scanner opens the link first; the person opens it after.
            Browser scanner = new Browser();
            assertEquals(200, scanner.get(link).statusCode());
            Browser browser = new Browser();
            Response page = browser.get(link);
            assertEquals(200, page.statusCode());
            String html = page.body().asString();
            assertTrue(html.contains(ada.email()) && html.contains("id=\"confirm\""), html);
            assertEquals("no-referrer", page.header("Referrer-Policy"));

            Response done = browser.post("/verify-email", Map.of("token", Browser.field(html, "token"), "csrf",
                    Browser.field(html, "csrf")));
            assertEquals(200, done.statusCode(), done.body().asString());
            assertTrue(done.body().asString().contains("Email address confirmed"), done.body().asString());
            given().auth().oauth2(People.refresh(ada.refreshToken()).statusCode(200).extract().path("access_token"))
                    .when().get("/v1/me").then().statusCode(200).body("user.email_verified", equalTo(true));

            // Used: the page says so and offers a new mail, with the status a client can read.
            Response used = new Browser().get(link);
            assertEquals(410, used.statusCode());
            assertTrue(used.body().asString().contains("This link was already used")
                    && used.body().asString().contains("id=\"new-link\""), used.body().asString());
        }

        @Test
        void theConfirmButtonNeedsThisBrowsersCsrfToken() {
            SignedIn ada = People.signedIn();
            String link = link(ada.email(), "Confirm your email address");
            String html = new Browser().get(link).body().asString();
            // Another browser (an attacker's page posting the victim's link) has no matching cookie.
            Response forged = new Browser().post("/verify-email", Map.of("token", Browser.field(html, "token"), "csrf",
                    Browser.field(html, "csrf")));
            assertEquals(403, forged.statusCode());
            given().auth().oauth2(ada.accessToken()).when().get("/v1/me").then().body("user.email_verified", equalTo(false));
        }

        @Test
        void anUnknownLinkIs404AndAsksForANewMailTheSameWayForEveryAddress() {
            // A client that did not ask for a page gets the JSON error body.
            given().when().get("/verify-email?token=" + "x".repeat(43)).then().statusCode(404)
                    .contentType(ContentType.JSON).body("code", equalTo("invalid_token"));
            Browser browser = new Browser();
            Response unknown = browser.get("/verify-email?token=" + "x".repeat(43));
            assertEquals(404, unknown.statusCode());
            String html = unknown.body().asString();
            Response sent = browser.post("/email-links", Map.of("kind", "verify", "email", "nobody-"
                    + System.nanoTime() + "@example.com", "csrf", Browser.field(html, "csrf")));
            assertEquals(202, sent.statusCode());
            assertTrue(sent.body().asString().contains("Check your mail"));

            SignedIn ada = People.signedIn();
            link(ada.email(), "Confirm your email address");
            Response again = browser.post("/email-links", Map.of("kind", "verify", "email", ada.email(), "csrf",
                    Browser.field(html, "csrf")));
            assertEquals(202, again.statusCode());
            org.awaitility.Awaitility.await().until(() -> MailServer.messagesTo(ada.email()).size() == 2);
        }
    }

    @Nested
    class Reset {

        private String resetLink(SignedIn who) {
            given().contentType(ContentType.JSON).body(Map.of("email", who.email())).when()
                    .post("/v1/auth/password-reset").then().statusCode(202);
            return link(who.email(), "Reset your password");
        }

        @Test
        void theNewPasswordTwiceEndsEverySessionAndSignsThisBrowserIn() {
            SignedIn ada = People.signedIn();
            SignedIn elsewhere = People.again(ada);
            String link = resetLink(ada);
            assertTrue(link.startsWith("/reset-password?token="), link);
            Browser browser = new Browser();
            assertEquals(200, new Browser().get(link).statusCode(), "a scanner's GET");
            String html = browser.get(link).body().asString();
            assertTrue(html.contains("id=\"policy\"") && html.contains("At least 12 characters"), html);

            Response differ = browser.post("/reset-password", Map.of("token", Browser.field(html, "token"), "csrf",
                    Browser.field(html, "csrf"), "new_password", NEW_PASSWORD, "new_password_again", NEW_PASSWORD + "!"));
            assertEquals(400, differ.statusCode());
            assertTrue(differ.body().asString().contains("The two passwords are not the same."));

            Response weak = browser.post("/reset-password", Map.of("token", Browser.field(html, "token"), "csrf",
                    Browser.field(html, "csrf"), "new_password", "short", "new_password_again", "short"));
            assertEquals(400, weak.statusCode());
            assertTrue(weak.body().asString().contains("at least 12 characters"), weak.body().asString());

            Response done = browser.post("/reset-password", Map.of("token", Browser.field(html, "token"), "csrf",
                    Browser.field(html, "csrf"), "new_password", NEW_PASSWORD, "new_password_again", NEW_PASSWORD));
            assertEquals(200, done.statusCode(), done.body().asString());
            assertTrue(done.body().asString().contains("Password changed"), done.body().asString());
            assertNotNull(browser.cookie(Pages.SESSION_COOKIE), "this browser is signed in");

            People.refresh(ada.refreshToken()).statusCode(401);
            People.refresh(elsewhere.refreshToken()).statusCode(401);
            People.login(ada.email(), People.PASSWORD).statusCode(401);
            People.login(ada.email(), NEW_PASSWORD).statusCode(200);
            // Signed in: the next authorization in this browser goes straight to consent.
            Response next = browser.follow(browser.get(Request.cli().url()), publicUrl);
            assertTrue(next.body().asString().contains("id=\"consent\""), next.body().asString());
            // The link worked once.
            assertEquals(410, new Browser().get(link).statusCode());
        }

        @Test
        void theResetFormNeedsThisBrowsersCsrfToken() {
            SignedIn ada = People.signedIn();
            String link = resetLink(ada);
            String html = new Browser().get(link).body().asString();
            Response forged = new Browser().post("/reset-password", Map.of("token", Browser.field(html, "token"),
                    "csrf", Browser.field(html, "csrf"), "new_password", NEW_PASSWORD, "new_password_again",
                    NEW_PASSWORD));
            assertEquals(403, forged.statusCode());
            People.login(ada.email(), People.PASSWORD).statusCode(200);
        }

        @Test
        void inGermanTheFormAndItsRefusalsAreGerman() {
            SignedIn ada = People.signedIn();
            String link = resetLink(ada);
            Browser browser = new Browser().header("Accept-Language", "de");
            String html = browser.get(link).body().asString();
            assertTrue(html.contains("Neues Passwort wählen") && html.contains("Mindestens 12 Zeichen"), html);
            Response differ = browser.post("/reset-password", Map.of("token", Browser.field(html, "token"), "csrf",
                    Browser.field(html, "csrf"), "new_password", NEW_PASSWORD, "new_password_again", "other"));
            assertTrue(differ.body().asString().contains("Die beiden Passwörter stimmen nicht überein."));
        }

        @Test
        void askingForMoreThanFiveMailsAnHourIsRefusedWithRetryAfter() {
            Browser browser = Browser.at(Browser.newLoopbackAddress());
            String html = browser.get("/reset-password?token=" + "y".repeat(43)).body().asString();
            String email = "flood-" + System.nanoTime() + "@example.com";
            for (int i = 0; i < 5; i++) {
                assertEquals(202, browser.post("/email-links", Map.of("kind", "reset", "email", email, "csrf",
                        Browser.field(html, "csrf"))).statusCode());
            }
            Response refused = browser.post("/email-links", Map.of("kind", "reset", "email", email, "csrf",
                    Browser.field(html, "csrf")));
            assertEquals(429, refused.statusCode());
            assertNotNull(refused.header("Retry-After"));
            assertTrue(refused.body().asString().contains("<html"), "a page, not JSON");
            assertFalse(refused.body().asString().contains("\"code\""));
        }
    }
}
