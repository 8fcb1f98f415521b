package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

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
import io.restassured.http.Cookie;
import io.restassured.response.Response;

/**
 * The pages speak the person's language: English, German and French, chosen by the switcher, then the relying
 * party's {@code ui_locales}, then what the browser was shown before, then {@code Accept-Language}.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class PageLanguagesTest {

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    private Response signInPage(Browser browser, Request request) {
        Response page = browser.follow(browser.get(request.url()), publicUrl);
        assertEquals(200, page.statusCode(), page.body().asString());
        return page;
    }

    @Test
    void theBrowsersLanguageIsSpokenAndAnUnknownOneFallsBackToEnglish() {
        String german = signInPage(new Browser().header("Accept-Language", "de-CH, de;q=0.9, en;q=0.5"), Request.cli())
                .body().asString();
        assertTrue(german.contains("<html lang=\"de\">"), german);
        assertTrue(german.contains("<h1>Anmelden</h1>") && german.contains(">E-Mail-Adresse</label>"), german);

        String french = signInPage(new Browser().header("Accept-Language", "fr-FR"), Request.cli()).body().asString();
        assertTrue(french.contains("<html lang=\"fr\">") && french.contains(">Mot de passe</label>"), french);

        String japanese = signInPage(new Browser().header("Accept-Language", "ja, zh;q=0.8"), Request.cli())
                .body().asString();
        assertTrue(japanese.contains("<html lang=\"en\">") && japanese.contains("<h1>Sign in</h1>"), japanese);
    }

    @Test
    void uiLocalesOfTheRelyingPartyWinsOverTheBrowserAndHoldsForTheWholeFlow() {
        SignedIn ada = People.signedIn();
        Browser browser = new Browser().header("Accept-Language", "de");
        Request request = Request.cli();
        // The relying party asks for Japanese (not offered), then Canadian French: French, though the browser asks
        // for German.
        Response page = browser.follow(browser.get(request.url() + "&ui_locales=ja%20fr-CA%20de"), publicUrl);
        String html = page.body().asString();
        assertTrue(html.contains("<html lang=\"fr\">"), html);
        Response consent = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request",
                Browser.field(html, "request"), "csrf", Browser.field(html, "csrf"), "email", ada.email(), "password",
                People.PASSWORD)), publicUrl);
        String consentHtml = consent.body().asString();
        assertTrue(consentHtml.contains("<html lang=\"fr\">") && consentHtml.contains(">Autoriser</button>"),
                consentHtml);
        assertTrue(consentHtml.contains("savoir qui vous êtes"), consentHtml);
    }

    @Test
    void theSwitcherChangesTheLanguageAndTheChoiceIsRemembered() {
        Browser browser = new Browser();
        String english = signInPage(browser, Request.cli()).body().asString();
        assertTrue(english.contains("hreflang=\"de\""), english);
        String link = english.replaceAll("(?s).*<a href=\"([^\"]*)\" hreflang=\"de\".*", "$1").replace("&amp;", "&");
        assertTrue(link.startsWith("/v1/oauth/") && link.endsWith("lang=de"), link);
        Response switched = browser.get(link);
        assertEquals(200, switched.statusCode());
        assertTrue(switched.body().asString().contains("<h1>Anmelden</h1>"), switched.body().asString());
        Cookie remembered = switched.getDetailedCookie(PageLanguage.COOKIE);
        assertNotNull(remembered);
        assertTrue(remembered.getMaxAge() > 30 * 24 * 3600 && remembered.isHttpOnly());
        // A new flow in the same browser, without asking: German, whatever the browser's header says.
        String again = signInPage(browser.header("Accept-Language", "fr"), Request.cli()).body().asString();
        assertTrue(again.contains("<html lang=\"de\">"), again);
        assertFalse(again.contains("hreflang=\"de\""), "the switcher offers the other languages only");
    }

    @Test
    void refusalsAreTranslatedWhereTheirCodeIsKnown() {
        SignedIn ada = People.signedIn();
        Browser browser = new Browser().header("Accept-Language", "de");
        String html = signInPage(browser, Request.cli()).body().asString();
        Response refused = browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"), "csrf",
                Browser.field(html, "csrf"), "email", ada.email(), "password", "not the password"));
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().asString().contains("Die E-Mail-Adresse oder das Passwort ist nicht richtig."),
                refused.body().asString());

        Response forged = browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"), "csrf",
                "forged", "email", ada.email(), "password", People.PASSWORD));
        assertEquals(403, forged.statusCode());
        assertTrue(forged.body().asString().contains("Dieses Formular ist abgelaufen"), forged.body().asString());
    }
}
