package dev.latchkey.e2e.fuzz;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.e2e.Suite;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A confidential third-party client, registered through the admin API as identity's README shows, that a person
 * allows on the sign-in pages (plain HTTP, cookies kept, no JavaScript) with the authorization-code flow and PKCE;
 * its back end exchanges the code with its secret. What a relying party does, end to end.
 */
final class ThirdPartyClient {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String REDIRECT = "http://localhost:3000/callback";

    final String clientId = "rp-" + UUID.randomUUID().toString().substring(0, 8);
    final String secret;

    ThirdPartyClient(String operatorToken) {
        secret = given().auth().oauth2(operatorToken).contentType(ContentType.JSON)
                .body(Map.of("client_id", clientId, "name", "A Relying Party", "client_type", "confidential",
                        "redirect_uris", java.util.List.of(REDIRECT)))
                .when().post(IDENTITY + "/v1/admin/clients").then().statusCode(201).extract().path("client_secret");
    }

    /** The token response after the person ({@code email}, {@code password}) allowed {@code scope}. */
    JsonPath grant(String email, String password, String organizationId, String scope) throws Exception {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String state = UUID.randomUUID().toString();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Pages pages = new Pages();
        Pages.Page page = pages.follow(pages.get(IDENTITY + "/v1/oauth/authorize?response_type=code&client_id="
                + clientId + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc(scope) + "&state=" + state
                + "&nonce=n-" + state + "&code_challenge=" + challenge + "&code_challenge_method=S256"));
        assertTrue(page.has("sign-in"), page.body());
        page = pages.follow(pages.post("/v1/oauth/sign-in", Map.of("request", page.field("request"), "csrf",
                page.field("csrf"), "email", email, "password", password)));
        if (page.has("organization")) {
            page = pages.follow(pages.post("/v1/oauth/organization", Map.of("request", page.field("request"), "csrf",
                    page.field("csrf"), "organization_id", organizationId)));
        }
        assertTrue(page.has("consent"), page.body());
        Pages.Page back = pages.post("/v1/oauth/consent", Map.of("request", page.field("request"), "csrf",
                page.field("csrf"), "decision", "allow"));
        assertEquals(302, back.status(), back.body());
        assertTrue(back.location().startsWith(REDIRECT + "?"), back.location());
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : URI.create(back.location()).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertEquals(state, query.get("state"));
        return given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "authorization_code")
                .formParam("code", query.get("code")).formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", verifier).when().post(IDENTITY + "/v1/oauth/token").then().statusCode(200)
                .extract().jsonPath();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The pages over plain HTTP. */
    static final class Pages {

        record Page(int status, URI uri, String location, String body) {
            String field(String name) {
                Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(body);
                if (!m.find()) {
                    throw new AssertionError("no field " + name + " on " + uri + " (" + status + "):\n" + body);
                }
                return m.group(1).replace("&amp;", "&");
            }

            boolean has(String id) {
                return body.contains("id=\"" + id + "\"");
            }
        }

        private final HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();

        Page get(String url) throws Exception {
            return page(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build());
        }

        Page post(String path, Map<String, String> form) throws Exception {
            StringJoiner body = new StringJoiner("&");
            form.forEach((k, v) -> body.add(k + "=" + enc(v)));
            return page(HttpRequest.newBuilder(URI.create(IDENTITY + path)).header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        }

        /** Follows redirects within identity; stops at one that leaves it. */
        Page follow(Page page) throws Exception {
            Page current = page;
            for (int i = 0; i < 10 && current.location() != null; i++) {
                URI next = current.uri().resolve(current.location());
                if (!next.toString().startsWith(IDENTITY)) {
                    return current;
                }
                current = get(next.toString());
            }
            return current;
        }

        private Page page(HttpRequest request) throws Exception {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), request.uri(), r.headers().firstValue("Location").orElse(null), r.body());
        }
    }
}
