package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.identity.oauth.Pkce;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * What the tests of client-bound grants share: registering a client (with its resources), an authorization request
 * with extra parameters, and a person's way through the pages (sign in, pick an organization, allow).
 */
final class ClientGrants {

    static final String WEB_REDIRECT = "https://app.example.com/oauth/callback";

    private ClientGrants() {
    }

    /** A client registered by an operator: its id and secret (null for a public client). */
    record Registered(String id, String secret) {
    }

    static ValidatableResponse register(String body) {
        return given().header("Authorization", "Bearer " + GatedAndOperatedTest.operatorToken())
                .contentType(ContentType.JSON).body(body).when().post("/v1/admin/clients").then();
    }

    /** A confidential web client allowed {@code resources}, consent asked unless {@code skipConsent}. */
    static Registered confidential(List<String> resources, boolean skipConsent) {
        String id = "rp-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder list = new StringBuilder();
        for (String r : resources) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(r).append('"');
        }
        String secret = register("{\"client_id\":\"" + id + "\",\"client_type\":\"confidential\",\"redirect_uris\":[\""
                + WEB_REDIRECT + "\"],\"resources\":[" + list + "],\"skip_consent\":" + skipConsent + "}")
                .statusCode(201).extract().path("client_secret");
        return new Registered(id, secret);
    }

    /** An authorization request of {@code client}: PKCE, state, nonce; {@code extra} adds parameters (in pairs). */
    record Authorization(String clientId, String verifier, String state, List<String> extra) {
        static Authorization of(String clientId, String... extra) {
            return new Authorization(clientId, AuthorizationCodeFlowTest.verifier(), "st-" + UUID.randomUUID(),
                    List.of(extra));
        }

        String url() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("response_type", "code");
            p.put("client_id", clientId);
            p.put("redirect_uri", WEB_REDIRECT);
            p.put("scope", "openid email offline_access");
            p.put("state", state);
            p.put("nonce", "n-" + state);
            p.put("code_challenge", Pkce.challengeOf(verifier));
            p.put("code_challenge_method", "S256");
            StringBuilder url = new StringBuilder(AuthorizationCodeFlowTest.Request.url(p));
            for (int i = 0; i < extra.size(); i += 2) {
                // Repeatable (resource), so appended rather than put in the map.
                url.append('&').append(extra.get(i)).append('=')
                        .append(URLEncoder.encode(extra.get(i + 1), StandardCharsets.UTF_8));
            }
            return url.toString();
        }
    }

    /**
     * The person signs in on the pages (unless the browser is signed in already), picks {@code organization} when
     * asked, and allows: the redirect back to the client.
     */
    static String allow(Browser browser, String url, SignedIn who, String organization, String publicUrl) {
        Response page = browser.follow(browser.get(url), publicUrl);
        String html = page.body().asString();
        if (page.statusCode() == 200 && html.contains("id=\"sign-in\"")) {
            page = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                    "csrf", Browser.field(html, "csrf"), "email", who.email(), "password", People.PASSWORD)), publicUrl);
            html = page.body().asString();
        }
        if (html.contains("name=\"organization_id\"")) {
            page = browser.follow(browser.post("/v1/oauth/organization", Map.of("request", Browser.field(html,
                    "request"), "csrf", Browser.field(html, "csrf"), "organization_id", organization)), publicUrl);
            html = page.body().asString();
        }
        if (page.statusCode() == 302) {
            return page.header("Location");
        }
        assertEquals(200, page.statusCode(), html);
        return browser.allow(page);
    }

    /** {@link #allow} for a person with one organization. */
    static String allowAt(Browser browser, String url, SignedIn who, String publicUrl) {
        return allow(browser, url, who, null, publicUrl);
    }

    /** The query of a redirect back to the client. */
    static Map<String, String> back(String location) {
        assertTrue(location.startsWith(WEB_REDIRECT), location);
        return Browser.query(location);
    }

    /** A token request of {@code client} (HTTP Basic) with form parameters in pairs; repeated names allowed. */
    static ValidatableResponse token(Registered client, String... form) {
        var spec = given().auth().preemptive().basic(client.id(), client.secret());
        for (int i = 0; i < form.length; i += 2) {
            spec = spec.formParam(form[i], form[i + 1]);
        }
        return spec.when().post("/v1/oauth/token").then();
    }

    static ValidatableResponse exchange(Registered client, String location, Authorization request, String... more) {
        List<String> form = new ArrayList<>(List.of("grant_type", "authorization_code", "code",
                back(location).get("code"), "redirect_uri", WEB_REDIRECT, "code_verifier", request.verifier()));
        form.addAll(List.of(more));
        return token(client, form.toArray(String[]::new));
    }

    static ValidatableResponse refresh(Registered client, String refreshToken, String... more) {
        List<String> form = new ArrayList<>(List.of("grant_type", "refresh_token", "refresh_token", refreshToken));
        form.addAll(List.of(more));
        return token(client, form.toArray(String[]::new));
    }
}
