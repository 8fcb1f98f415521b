package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Request;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Signing up from a relying party's authorization request: the sign-in page links to the sign-up page, the mail's
 * link confirms the address and, in the same browser, carries on to consent and back to the application.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class SignUpPagesTest {

    static final String PASSWORD = "a fresh correct horse battery staple";

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    private String signUpPage(Browser browser, Request request) {
        String signIn = browser.follow(browser.get(request.url()), publicUrl).body().asString();
        assertTrue(signIn.contains("id=\"to-sign-up\"") && signIn.contains("id=\"forgot\""), signIn);
        Response page = browser.get("/v1/oauth/sign-up?request=" + Browser.field(signIn, "request"));
        assertEquals(200, page.statusCode(), page.body().asString());
        return page.body().asString();
    }

    private Response submit(Browser browser, String html, String name, String email, String password) {
        return browser.post("/v1/oauth/sign-up", Map.of("request", Browser.field(html, "request"), "csrf",
                Browser.field(html, "csrf"), "name", name, "email", email, "password", password));
    }

    @Test
    void signUpThenTheMailsLinkInTheSameBrowserContinuesToConsentAndBackToTheApplication() {
        Browser browser = new Browser();
        Request request = Request.cli();
        String html = signUpPage(browser, request);
        String email = People.newEmail();
        Response sent = submit(browser, html, "Grace", email, PASSWORD);
        assertEquals(200, sent.statusCode(), sent.body().asString());
        assertTrue(sent.body().asString().contains(email) && sent.body().asString().contains("Latchkey CLI"));

        String link = EmailLinkPagesTest.link(email, "Confirm your email address");
        assertTrue(link.contains("&continue="), link);
        String confirm = browser.get(link).body().asString();
        Response next = browser.follow(browser.post("/verify-email", Map.of("token", Browser.field(confirm, "token"),
                "continue", Browser.field(confirm, "continue"), "csrf", Browser.field(confirm, "csrf"))), publicUrl);
        String consent = next.body().asString();
        assertTrue(consent.contains("id=\"consent\""), consent);
        assertTrue(consent.contains(email), consent);
        String back = browser.allow(next);
        Map<String, String> answer = Browser.query(back);
        assertEquals(request.state(), answer.get("state"));
        AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null, answer.get("code"),
                request.redirectUri(), request.verifier()).statusCode(200);
        People.login(email, PASSWORD).statusCode(200);
    }

    @Test
    void theLinkOpenedInAnotherBrowserConfirmsTheAddressButSignsNobodyIn() {
        Browser browser = new Browser();
        String email = People.newEmail();
        submit(browser, signUpPage(browser, Request.cli()), "Grace", email, PASSWORD);
        String link = EmailLinkPagesTest.link(email, "Confirm your email address");
        Browser phone = new Browser();
        String confirm = phone.get(link).body().asString();
        Response done = phone.post("/verify-email", Map.of("token", Browser.field(confirm, "token"), "continue",
                Browser.field(confirm, "continue"), "csrf", Browser.field(confirm, "csrf")));
        assertEquals(200, done.statusCode());
        assertTrue(done.body().asString().contains("Email address confirmed"), done.body().asString());
        assertEquals(null, phone.cookie(Pages.SESSION_COOKIE));
    }

    @Test
    void anAddressThatHasAnAccountGetsTheSamePageAndItsOwnerAMail() {
        SignedIn ada = People.signedIn();
        Browser browser = new Browser();
        Response sent = submit(browser, signUpPage(browser, Request.cli()), "Not Ada", ada.email(), PASSWORD);
        assertEquals(200, sent.statusCode());
        assertTrue(sent.body().asString().contains("Check your mail"));
        MailServer.awaitMail(ada.email(), "Someone tried to sign up with your address");
        People.login(ada.email(), PASSWORD).statusCode(401);
    }

    @Test
    void aRefusedPasswordShowsTheFormAgainWithWhyAndWhatWasTyped() {
        Browser browser = new Browser();
        String email = People.newEmail();
        Response weak = submit(browser, signUpPage(browser, Request.cli()), "Grace", email, "password123");
        assertEquals(400, weak.statusCode());
        String html = weak.body().asString();
        assertTrue(html.contains("id=\"error\"") && html.contains("aria-invalid=\"true\""), html);
        assertTrue(html.contains("value=\"" + email + "\"") && html.contains("value=\"Grace\""), html);
        assertFalse(html.contains("password123"), "a password is never sent back");
        Awaitility.await().during(java.time.Duration.ofMillis(300)).until(() -> MailServer.messagesTo(email).isEmpty());
    }

    @Test
    void forgotPasswordOnTheSignInPageMailsAResetLink() {
        SignedIn ada = People.signedIn();
        Browser browser = new Browser();
        String forgot = browser.get("/reset-password").body().asString();
        assertTrue(forgot.contains("Forgot your password?") && forgot.contains("id=\"new-link\""), forgot);
        Response sent = browser.post("/email-links", Map.of("kind", "reset", "email", ada.email(), "csrf",
                Browser.field(forgot, "csrf")));
        assertEquals(202, sent.statusCode());
        assertTrue(EmailLinkPagesTest.link(ada.email(), "Reset your password").startsWith("/reset-password?token="));
    }
}
