package dev.latchkey.identity.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A browser without JavaScript over plain HTTP: keeps cookies, follows nothing by itself (tests look at every
 * redirect), reads the hidden fields of the pages' forms. What a person's browser does on the sign-in pages.
 */
public final class Browser {

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final RestAssuredConfig config;

    public Browser() {
        this.config = null;
    }

    private Browser(RestAssuredConfig config) {
        this.config = config;
    }

    /** A browser on another machine, as the server sees it: its requests leave from {@code localAddress}. */
    public static Browser at(String localAddress) {
        return new Browser(sentFrom(localAddress));
    }

    /**
     * REST Assured's configuration for requests leaving from {@code localAddress}: the tests' server listens on
     * 127.0.0.1, which any 127.x.y.z reaches, so each test can be a client address of its own.
     */
    public static RestAssuredConfig sentFrom(String localAddress) {
        try {
            return RestAssured.config().httpClient(RestAssured.config().getHttpClientConfig()
                    .setParam("http.route.local-address", InetAddress.getByName(localAddress)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(localAddress, e);
        }
    }

    /** A loopback address no other test uses (in all likelihood). */
    public static String newLoopbackAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(2, 255);
    }

    public Response get(String url) {
        // The URL arrives encoded (built by the test or a Location header): sent as is.
        return remember(spec().urlEncodingEnabled(false).get(url));
    }

    public Response post(String url, Map<String, String> form) {
        RequestSpecification spec = spec().contentType("application/x-www-form-urlencoded");
        form.forEach((k, v) -> {
            if (v != null) {
                spec.formParam(k, v);
            }
        });
        return remember(spec.post(url));
    }

    /** Follows 302/303 redirects to this server until a page, or a redirect elsewhere, is reached. */
    public Response follow(Response response, String ownOrigin) {
        Response current = response;
        for (int i = 0; i < 10 && (current.statusCode() == 302 || current.statusCode() == 303); i++) {
            String location = current.header("Location");
            if (!location.startsWith(ownOrigin) && !location.startsWith("/")) {
                return current;
            }
            current = get(location);
        }
        return current;
    }

    /** Allows on the consent page {@code consent}; the redirect back to the client (its Location). */
    public String allow(Response consent) {
        String html = consent.body().asString();
        assertTrue(html.contains("id=\"consent\""), html);
        Response back = post("/v1/oauth/consent", Map.of("request", field(html, "request"), "csrf",
                field(html, "csrf"), "decision", "allow"));
        assertEquals(302, back.statusCode());
        return back.header("Location");
    }

    /** Sends {@code name: value} with every later request (Accept-Language, say). */
    public Browser header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    public void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    public void forget(String name) {
        cookies.remove(name);
    }

    private RequestSpecification spec() {
        RequestSpecification spec = given().redirects().follow(false).header("Accept", "text/html");
        if (config != null) {
            spec.config(config);
        }
        if (!cookies.isEmpty()) {
            spec.cookies(cookies);
        }
        headers.forEach(spec::header);
        return spec;
    }

    private Response remember(Response response) {
        response.getDetailedCookies().forEach(c -> {
            if (c.getMaxAge() == 0 || c.getValue() == null || c.getValue().isEmpty()) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        });
        return response;
    }

    /** The value of a hidden (or any) input named {@code name} on a page. */
    public static String field(String html, String name) {
        Matcher m = Pattern.compile("<input[^>]*name=\"" + Pattern.quote(name) + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no field " + name + " on the page:\n" + html);
        }
        return m.group(1).replace("&amp;", "&");
    }

    /** The query parameters of a URL (a redirect's Location). */
    public static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
