package dev.latchkey.e2e.cli;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.e2e.Suite;

/**
 * identity's sign-in pages driven over plain HTTP (cookies kept, redirects followed by hand), for the refusal
 * cases where the test must stand between the pages and the CLI: hold a code back, deny, type a device code.
 * The real browser drives the whole login in {@link CliLoginTest}.
 */
final class PagesOverHttp {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);

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
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build();
        return page(request);
    }

    Page post(String path, Map<String, String> form) throws Exception {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(IDENTITY + path)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return page(request);
    }

    /** Follows redirects within identity; stops at one that leaves it (the CLI's loopback) and returns it. */
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

    /** Signs in on the sign-in page this page is (or leads to); answers the page after it. */
    Page signIn(Page signInPage, String email, String password) throws Exception {
        Page form = follow(signInPage);
        if (!form.has("sign-in")) {
            throw new AssertionError("not the sign-in page: " + form.status() + "\n" + form.body());
        }
        return follow(post("/v1/oauth/sign-in", Map.of("request", form.field("request"), "csrf", form.field("csrf"),
                "email", email, "password", password)));
    }

    /** On the organization picker: choose the organization with this id. */
    Page pick(Page picker, String organizationId) throws Exception {
        return follow(post("/v1/oauth/organization", Map.of("request", picker.field("request"), "csrf",
                picker.field("csrf"), "organization_id", organizationId)));
    }

    /** On the consent page: allow or deny; answers the redirect (not followed when it leaves identity). */
    Page decide(Page consent, String decision) throws Exception {
        if (!consent.has("consent")) {
            throw new AssertionError("not the consent page: " + consent.status() + "\n" + consent.body());
        }
        return follow(post("/v1/oauth/consent", Map.of("request", consent.field("request"), "csrf",
                consent.field("csrf"), "decision", decision)));
    }

    private Page page(HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Page(r.statusCode(), request.uri(), r.headers().firstValue("Location").orElse(null), r.body());
    }
}
