package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.ClientGrants.allow;
import static dev.latchkey.identity.rest.ClientGrants.back;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.rest.ClientGrants.Authorization;
import dev.latchkey.identity.rest.ClientGrants.Registered;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code prompt=none} (OpenID Connect Core §3.1.2.6): the authorization server shows no page; whatever would need
 * one goes back to the client as {@code login_required}, {@code consent_required} or {@code interaction_required},
 * with {@code state} and {@code iss}. Also {@code max_age} (§3.1.2.1): an older sign-in is asked again.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class PromptNoneTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @jakarta.inject.Inject
    Pool pool;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    /** A browser signed in on the pages, having allowed {@code client} once. */
    Browser signedInBrowser(Registered client, SignedIn who, String organization) {
        Browser browser = new Browser();
        allow(browser, Authorization.of(client.id()).url(), who, organization, publicUrl);
        assertNotNull(browser.cookie("lk_session"));
        return browser;
    }

    /** {@code prompt=none} from {@code browser}: never a page, always back to the client; the redirect's query. */
    static Map<String, String> silently(Browser browser, Authorization request) {
        Response r = browser.get(request.url());
        assertEquals(302, r.statusCode(), r.body().asString());
        Map<String, String> q = back(r.header("Location"));
        assertEquals(request.state(), q.get("state"));
        assertEquals(IdentityTokens.ISSUER, q.get("iss"));
        return q;
    }

    @Test
    void withoutABrowserSessionItIsLoginRequired() {
        Registered client = ClientGrants.confidential(List.of(), true);
        assertEquals("login_required", silently(new Browser(), Authorization.of(client.id(), "prompt", "none"))
                .get("error"));
    }

    @Test
    void whenConsentIsStillToBeGivenItIsConsentRequired() {
        Registered client = ClientGrants.confidential(List.of(), false);
        Browser browser = signedInBrowser(client, People.signedIn(), null);
        Map<String, String> q = silently(browser, Authorization.of(client.id(), "prompt", "none"));
        assertEquals("consent_required", q.get("error"));
        assertNull(q.get("code"));
    }

    @Test
    void aClientThatSkipsConsentGetsItsCodeSilently() {
        Registered client = ClientGrants.confidential(List.of(), true);
        Browser browser = signedInBrowser(client, People.signedIn(), null);
        Map<String, String> q = silently(browser, Authorization.of(client.id(), "prompt", "none"));
        assertNull(q.get("error"), q.toString());
        assertNotNull(q.get("code"));
    }

    @Test
    void anOrganizationToChooseIsInteractionRequired() {
        Registered client = ClientGrants.confidential(List.of(), true);
        SignedIn ada = People.signedIn();
        String acme = FakeTenant.join(ada.userId(), "Acme", "member");
        Browser browser = signedInBrowser(client, ada, acme);
        assertEquals("interaction_required", silently(browser, Authorization.of(client.id(), "prompt", "none"))
                .get("error"));
    }

    @Test
    void anAccountAwaitingApprovalIsInteractionRequired() {
        Registered client = ClientGrants.confidential(List.of(), true);
        SignedIn ada = People.signedIn();
        Browser browser = signedInBrowser(client, ada, null);
        pool.preparedQuery("update identity.users set status = 'pending' where id = $1")
                .execute(Tuple.of(UUID.fromString(ada.userId()))).await().indefinitely();
        assertEquals("interaction_required", silently(browser, Authorization.of(client.id(), "prompt", "none"))
                .get("error"));
    }

    @Test
    void noneWithAnotherPromptValueIsInvalidRequest() {
        Registered client = ClientGrants.confidential(List.of(), true);
        Browser browser = signedInBrowser(client, People.signedIn(), null);
        assertEquals("invalid_request", silently(browser, Authorization.of(client.id(), "prompt", "none login"))
                .get("error"));
    }

    @Test
    void maxAgeAsksAnOlderSignInAgain() {
        Registered client = ClientGrants.confidential(List.of(), true);
        Browser browser = signedInBrowser(client, People.signedIn(), null);
        // Signed in just now: a generous max_age goes straight back with a code.
        assertNotNull(silently(browser, Authorization.of(client.id(), "max_age", "3600")).get("code"));
        // max_age=0: the sign-in is older than allowed, the password is asked again ...
        Response page = browser.follow(browser.get(Authorization.of(client.id(), "max_age", "0").url()), publicUrl);
        assertTrue(page.body().asString().contains("id=\"sign-in\""), page.body().asString());
        // ... and without a page, that is login_required.
        assertEquals("login_required", silently(browser, Authorization.of(client.id(), "max_age", "0", "prompt",
                "none")).get("error"));
        assertEquals("invalid_request", silently(browser, Authorization.of(client.id(), "max_age", "soon"))
                .get("error"));
    }
}
