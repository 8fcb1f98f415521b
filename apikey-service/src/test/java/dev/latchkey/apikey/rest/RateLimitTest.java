package dev.latchkey.apikey.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.rest.Fixtures.Org;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Per-key rate limits: exact under concurrency, with the headers a client needs to back off. */
@QuarkusTest
class RateLimitTest {

    @TestHTTPResource("/v1/api-keys")
    URL keys;

    @BeforeEach
    void tenantUp() {
        Fixtures.tenantAcceptsAudit();
    }

    @Test
    void nParallelRequestsAgainstALimitOfLLetExactlyLThrough() {
        Org org = Fixtures.org();
        int limit = 5;
        int requests = 30;
        // One request a minute on average, five at once: all thirty arrive well within a minute.
        String key = Fixtures.create(org.owner(),
                "{\"name\":\"limited\",\"rate_limit\":{\"per_minute\":1,\"burst\":" + limit + "}}").getString("key");
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create(keys.toString())).header("X-API-Key", key)
                    .GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = inFlight.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<String>> ok = responses.stream().filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertEquals(limit, ok.size(), "exactly L succeed");
        assertEquals(requests - limit, limited.size(), "all others are 429");
        for (HttpResponse<String> response : ok) {
            assertEquals("1", response.headers().firstValue("RateLimit-Limit").orElse(null));
            assertNotNull(response.headers().firstValue("RateLimit-Remaining").orElse(null));
            assertNotNull(response.headers().firstValue("RateLimit-Reset").orElse(null));
        }
        for (HttpResponse<String> response : limited) {
            JsonObject body = new JsonObject(response.body());
            assertEquals("rate_limited", body.getString("code"));
            long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals("0", response.headers().firstValue("RateLimit-Remaining").orElse(null));
            assertEquals("1", response.headers().firstValue("RateLimit-Limit").orElse(null));
        }
    }

    @Test
    void theInternalVerifyAppliesTheLimitWhenAskedTo() {
        Org org = Fixtures.org();
        String key = Fixtures.create(org.owner(), "{\"name\":\"v\",\"rate_limit\":{\"per_minute\":1,\"burst\":2}}")
                .getString("key");
        String body = new JsonObject().put("key", key).encode();
        for (int i = 0; i < 2; i++) {
            Fixtures.bearer(Fixtures.verifier()).body(body).post("/internal/v1/keys/verify").then().statusCode(200)
                    .body("status", equalTo("VALID")).body("rate_limit_remaining", equalTo(1 - i));
        }
        Fixtures.bearer(Fixtures.verifier()).body(body).post("/internal/v1/keys/verify").then().statusCode(200)
                .body("status", equalTo("RATE_LIMITED")).body("valid", equalTo(false))
                .body("retry_after_ms", notNullValue());
        Fixtures.verifyStatus(key, "VALID");
    }

    @Test
    void anExchangedTokenOfALimitedKeyIsLimitedToo() {
        Org org = Fixtures.org();
        var created = Fixtures.create(org.owner(), "{\"name\":\"t\",\"rate_limit\":{\"per_minute\":1,\"burst\":1}}");
        String token = dev.latchkey.testing.TestTokens.access(org.id()).subject("apikey:" + created.getString("id"))
                .claim("key_id", created.getString("id")).claim("capability", "read_write")
                .claim("rate_limit", java.util.Map.of("per_minute", 1, "burst", 1)).sign();
        Fixtures.bearer(token).get("/v1/api-keys").then().statusCode(200).header("RateLimit-Limit", "1");
        Fixtures.bearer(token).get("/v1/api-keys").then().statusCode(429).header("Retry-After", notNullValue())
                .body("code", equalTo("rate_limited"));
    }
}
