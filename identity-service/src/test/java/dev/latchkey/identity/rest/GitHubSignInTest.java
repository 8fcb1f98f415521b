package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Request;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.GitHubDouble;
import dev.latchkey.identity.support.GitHubDouble.Account;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * "Continue with GitHub" through the whole redirect dance over HTTP, against a GitHub stand-in that speaks
 * GitHub's OAuth app flow and user API ({@link GitHubDouble}): the account is GitHub's numeric id, the address
 * GitHub's primary one, and only a verified primary address links to an existing Latchkey account.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
@QuarkusTestResource(GitHubDouble.class)
class GitHubSignInTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    static Account account(String email, boolean verified) {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, 900_000_000);
        return new Account(id, "octo" + id, "Mona Lisa Octocat", email, verified);
    }

    /** Sign-in page → GitHub → Latchkey's callback; the page reached after the callback. */
    Response continueWithGitHub(Browser browser, Request request) {
        Response signIn = browser.follow(browser.get(request.url()), publicUrl);
        String html = signIn.body().asString();
        assertTrue(html.contains("Continue with GitHub"), html);
        Response toGitHub = browser.get("/v1/oauth/upstream/github?request=" + Browser.field(html, "request")
                + "&csrf=" + Browser.field(html, "csrf"));
        assertEquals(303, toGitHub.statusCode(), toGitHub.body().asString());
        String authorize = toGitHub.header("Location");
        assertTrue(authorize.startsWith(GitHubDouble.url() + "/login/oauth/authorize?"), authorize);
        Map<String, String> q = Browser.query(authorize);
        assertEquals(GitHubDouble.CLIENT_ID, q.get("client_id"));
        assertEquals("S256", q.get("code_challenge_method"));
        assertTrue(q.get("scope").contains("user:email"), q.get("scope"));
        assertTrue(q.get("state").length() >= 32, q.get("state"));
        Response back = browser.get(authorize);
        assertEquals(302, back.statusCode(), back.body().asString());
        String callback = back.header("Location");
        assertTrue(callback.startsWith(publicUrl + "/v1/oauth/upstream/github/callback?"), callback);
        return browser.follow(browser.get(callback), publicUrl);
    }

    String signInAndExchange(Account account) throws Exception {
        GitHubDouble.nextSignIn(account);
        Browser browser = new Browser();
        Request request = Request.cli();
        String location = browser.allow(continueWithGitHub(browser, request));
        return AuthorizationCodeFlowTest.exchange(AuthorizationCodeFlowTest.CLI, null,
                AuthorizationCodeFlowTest.code(location), AuthorizationCodeFlowTest.CLI_REDIRECT, request.verifier())
                .statusCode(200).extract().path("id_token");
    }

    @Test
    void aNewPersonSignsInWithGitHubAndIsTheSameAccountNextTimeEvenWithAnotherAddress() throws Exception {
        String email = People.newEmail();
        Account mona = account(email, true);
        JwtClaims first = IdentityTokens.verifyIdToken(signInAndExchange(mona), AuthorizationCodeFlowTest.CLI);
        assertEquals(email, first.getStringClaimValue("email"));
        assertEquals(Boolean.TRUE, first.getClaimValue("email_verified"));

        // The account is GitHub's numeric id, not the address: a changed primary address is the same person.
        Account moved = new Account(mona.id(), mona.login(), mona.name(), "moved-" + email, true);
        JwtClaims second = IdentityTokens.verifyIdToken(signInAndExchange(moved), AuthorizationCodeFlowTest.CLI);
        assertEquals(first.getSubject(), second.getSubject());
    }

    @Test
    void aVerifiedPrimaryAddressLinksToTheExistingPasswordAccount() throws Exception {
        SignedIn ada = People.signedIn();
        JwtClaims claims = IdentityTokens.verifyIdToken(signInAndExchange(account(ada.email(), true)),
                AuthorizationCodeFlowTest.CLI);
        assertEquals(ada.userId(), claims.getSubject());
    }

    @Test
    void anUnverifiedPrimaryAddressNeverLinksToAnExistingAccount() {
        SignedIn ada = People.signedIn();
        GitHubDouble.nextSignIn(account(ada.email(), false));
        Browser browser = new Browser();
        Response page = continueWithGitHub(browser, Request.cli());
        assertEquals(403, page.statusCode(), page.body().asString());
        assertTrue(page.body().asString().contains("id=\"sign-in\""), page.body().asString());
        assertTrue(page.body().asString().contains("verified"), page.body().asString());
        assertNull(browser.cookie("lk_session"));
    }

    /** A CLI's sign-in, sent on to GitHub: the authorization URL the browser is redirected to. */
    String gitHubAuthorizeUrl(Browser browser) {
        Response signIn = browser.follow(browser.get(Request.cli().url()), publicUrl);
        String html = signIn.body().asString();
        return browser.get("/v1/oauth/upstream/github?request=" + Browser.field(html, "request")
                + "&csrf=" + Browser.field(html, "csrf")).header("Location");
    }

    @Test
    void aReplayedGitHubCallbackSignsNobodyIn() {
        GitHubDouble.nextSignIn(account(People.newEmail(), true));
        Browser browser = new Browser();
        String authorize = gitHubAuthorizeUrl(browser);
        String callback = browser.get(authorize).header("Location");
        Response first = browser.follow(browser.get(callback), publicUrl);
        assertTrue(first.body().asString().contains("id=\"consent\""), first.body().asString());

        // The same callback again, in a fresh browser that started its own sign-in: its state is not this one.
        Browser other = new Browser();
        other.follow(other.get(Request.cli().url()), publicUrl);
        Response replay = other.get(callback);
        assertEquals(400, replay.statusCode(), replay.body().asString());
        assertNull(other.cookie("lk_session"));
    }

    @Test
    void aCodeGitHubRefusesEndsOnTheSignInPageWith400NotAServerError() {
        Browser browser = new Browser();
        String authorize = gitHubAuthorizeUrl(browser);
        // GitHub is not asked: the callback carries a code GitHub never issued, with this browser's own state.
        String state = Browser.query(authorize).get("state");
        Response page = browser.follow(browser.get("/v1/oauth/upstream/github/callback?code=forged&state=" + state),
                publicUrl);
        // GitHub answers such a code with 200 and {"error":"bad_verification_code"}: refused, the browser's fault.
        assertEquals(400, page.statusCode(), page.body().asString());
        assertTrue(page.body().asString().contains("id=\"sign-in\""), page.body().asString());
        assertTrue(page.body().asString().contains("was refused"), page.body().asString());
        assertNull(browser.cookie("lk_session"));
    }
}
