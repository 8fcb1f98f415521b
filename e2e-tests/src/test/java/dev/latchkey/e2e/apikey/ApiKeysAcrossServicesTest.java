package dev.latchkey.e2e.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.latchkey.e2e.Suite;
import io.restassured.path.json.JsonPath;

/**
 * API keys as every service sees them, against the built services running as processes, with a second instance
 * of tenant-service and of apikey-service: a key made at one instance works at all of them, its revocation and
 * the end of a rotation grace reach all of them within a second, a rate limit is exact across instances, a typo
 * never reaches PostgreSQL, and no key ends up in any service's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiKeysAcrossServicesTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String APIKEY = Suite.url(Suite.APIKEY);
    static final String APIKEY_2 = Suite.url(Suite.APIKEY_2);
    static final String TENANT = Suite.url(Suite.TENANT);
    static final String TENANT_2 = Suite.url(Suite.TENANT_2);
    static final String WEBHOOK = Suite.url(Suite.WEBHOOK);
    /** Every plaintext key this class saw: none may be in any log. */
    static final List<String> KEYS = new CopyOnWriteArrayList<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Registration and sign-in hash a password (Argon2id): seconds, not milliseconds, on a busy 2-core machine. */
    static final Duration PASSWORD_HASHING = Duration.ofSeconds(60);

    static Suite suite;
    static String organization;
    static String adminKey;

    record Reply(int status, JsonPath body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static String jdbc() {
        return "jdbc:postgresql://" + Suite.DB_HOST + ":" + Suite.DB_PORT + "/" + Suite.DB;
    }

    static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc(), Suite.DB_USER, Suite.DB_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @BeforeAll
    static void startTheSuiteWithSecondInstances() throws Exception {
        suite = Suite.shared();
        // The typo test counts lookups on the key-hash index; without sequential scans every lookup by hash uses it
        // however small the table is. A session setting, read when a connection opens: apikey-service (the only
        // service with queries on that table) restarts to take it; it is reset for connections opened afterwards.
        sql("alter database " + Suite.DB + " set enable_seqscan = off");
        suite.restart("apikey-service");
        suite.startSecondInstance("tenant-service", Suite.TENANT_2);
        suite.startSecondInstance("apikey-service", Suite.APIKEY_2);
        JsonPath created = send("POST", TENANT + "/v1/tenants", Map.of(), "{\"name\":\"keys-e2e\"}").body();
        organization = created.getString("organization.id");
        adminKey = created.getString("api_key.key");
        KEYS.add(adminKey);
    }

    @AfterAll
    static void stopTheSecondInstances() throws Exception {
        if (suite != null) {
            suite.stopSecondInstance("tenant-service");
            suite.stopSecondInstance("apikey-service");
        }
        sql("alter database " + Suite.DB + " reset enable_seqscan");
    }

    static Reply send(String method, String url, Map<String, String> headers, String body) {
        return send(method, url, headers, body, Duration.ofSeconds(10));
    }

    static Reply send(String method, String url, Map<String, String> headers, String body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonPath json = JsonPath.from(text != null && text.startsWith("{") ? text : "{}");
            return new Reply(response.statusCode(), json, response);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        }
    }

    static Map<String, String> bearer(String credential) {
        return Map.of("Authorization", "Bearer " + credential);
    }

    /** Creates a key at {@code apikeyUrl} with the organization's first key. */
    static JsonPath createKey(String apikeyUrl, String body) {
        Reply reply = send("POST", apikeyUrl + "/v1/api-keys", bearer(adminKey), body);
        assertEquals(201, reply.status(), reply.raw().body());
        KEYS.add(reply.body().getString("key"));
        return reply.body();
    }

    static int organizationAt(String tenantUrl, Map<String, String> credential) {
        return send("GET", tenantUrl + "/v1/organizations/" + organization, credential, null).status();
    }

    static String exchange(String key) {
        Reply reply = send("POST", IDENTITY + "/v1/auth/token", Map.of(), "{\"api_key\":\"" + key + "\"}");
        assertEquals(200, reply.status(), reply.raw().body());
        return reply.body().getString("access_token");
    }

    @Test
    @Order(1)
    void aKeyMadeAtOneInstanceWorksAtEveryInstanceOfEveryServiceInEveryHeader() {
        String key = createKey(APIKEY_2, "{\"name\":\"everywhere\"}").getString("key");
        assertTrue(key.matches("lk_[0-9A-Za-z]{36}_[0-9A-Za-z]{6}"), key);
        for (String tenant : List.of(TENANT, TENANT_2)) {
            assertEquals(200, organizationAt(tenant, bearer(key)), tenant + " with Authorization: Bearer");
            assertEquals(200, organizationAt(tenant, Map.of("X-API-Key", key)), tenant + " with X-API-Key");
            assertEquals(200, organizationAt(tenant, Map.of("X-MAO-API-Key", key)), tenant + " with the alias header");
        }
        for (String apikey : List.of(APIKEY, APIKEY_2)) {
            assertEquals(200, send("GET", apikey + "/v1/api-keys", Map.of("X-API-Key", key), null).status());
        }
        String token = exchange(key);
        assertEquals(200, organizationAt(TENANT_2, bearer(token)));
        assertEquals(200, send("GET", APIKEY + "/v1/api-keys", bearer(token), null).status());

        // Another organization's key and token see none of this one's keys.
        JsonPath other = send("POST", TENANT + "/v1/tenants", Map.of(), "{\"name\":\"other\"}").body();
        String otherKey = other.getString("api_key.key");
        KEYS.add(otherKey);
        String mine = send("GET", APIKEY + "/v1/api-keys", bearer(key), null).body().getString("data[0].id");
        for (Map<String, String> theirs : List.of(bearer(otherKey), bearer(exchange(otherKey)))) {
            assertEquals(404, send("GET", APIKEY_2 + "/v1/api-keys/" + mine, theirs, null).status());
            assertEquals(404, send("DELETE", APIKEY + "/v1/api-keys/" + mine, theirs, null).status());
            assertEquals(404, send("POST", APIKEY_2 + "/v1/api-keys/" + mine + "/rotate", theirs, "{}").status());
            assertEquals(404, organizationAt(TENANT, theirs));
        }
        assertEquals(200, organizationAt(TENANT, bearer(key)));
    }

    static void assertScopeInsufficient(Reply reply, String what) {
        assertEquals(403, reply.status(), what + ": " + reply.raw().body());
        assertEquals("scope_insufficient", reply.body().getString("code"), what);
    }

    @Test
    @Order(2)
    void everyServiceEnforcesAKeysCapabilityAndResourceScope() {
        String readKey = createKey(APIKEY, "{\"name\":\"reader\",\"capability\":\"read\"}").getString("key");
        String projectKey = createKey(APIKEY_2,
                "{\"name\":\"project\",\"resource_scope\":{\"type\":\"project\",\"ids\":[\"p-1\"]}}").getString("key");
        String provider = "{\"name\":\"scoped-%s\",\"scheme\":\"github\"}";

        // A read key (and a token exchanged from it) reads everywhere and changes nothing anywhere.
        for (Map<String, String> reader : List.of(bearer(readKey), Map.of("X-API-Key", readKey), bearer(exchange(readKey)))) {
            assertEquals(200, organizationAt(TENANT_2, reader));
            assertEquals(200, send("GET", WEBHOOK + "/v1/webhook-events", reader, null).status());
            assertEquals(200, send("GET", APIKEY_2 + "/v1/api-keys", reader, null).status());
            assertScopeInsufficient(send("POST", WEBHOOK + "/v1/webhook-providers", reader, provider.formatted("read")),
                    "webhook-gateway: a read key registering a provider");
            assertScopeInsufficient(send("POST", APIKEY + "/v1/api-keys", reader, "{\"name\":\"more\",\"capability\":\"read\"}"),
                    "apikey-service: a read key making a key");
        }
        // A key limited to a project reaches no organization-wide resource, and never makes a wider key.
        for (Map<String, String> project : List.of(bearer(projectKey), bearer(exchange(projectKey)))) {
            assertScopeInsufficient(send("GET", TENANT + "/v1/organizations/" + organization, project, null),
                    "tenant-service: a project key reading the organization");
            assertScopeInsufficient(send("GET", WEBHOOK + "/v1/webhook-events", project, null),
                    "webhook-gateway: a project key listing the organization's events");
            assertScopeInsufficient(send("POST", APIKEY_2 + "/v1/api-keys", project, "{\"name\":\"wider\"}"),
                    "apikey-service: a project key making an organization-wide key");
        }
        // The organization's read_write key may do all of it, at every service.
        Reply registered = send("POST", WEBHOOK + "/v1/webhook-providers", bearer(adminKey), provider.formatted("admin"));
        assertEquals(201, registered.status(), registered.raw().body());
        assertEquals(200, send("GET", WEBHOOK + "/v1/webhook-providers", bearer(adminKey), null).status());
    }

    /** Polls {@code check} until it answers 401; returns how long after {@code since} that was, or -1. */
    static CompletableFuture<Long> refusedAfter(Instant since, java.util.function.IntSupplier check) {
        return CompletableFuture.supplyAsync(() -> {
            Instant now = Instant.now();
            Duration left = Duration.between(now, since.plusSeconds(10));
            // Polling starts at since (the end of a grace, when that is still ahead): only a refusal after it counts.
            Duration notBefore = now.isBefore(since) ? Duration.between(now, since) : Duration.ZERO;
            try {
                Awaitility.await("a 401").atMost(left).pollDelay(notBefore).pollInterval(Duration.ofMillis(10))
                        .until(() -> check.getAsInt() == 401);
                return Duration.between(since, Instant.now()).toMillis();
            } catch (ConditionTimeoutException tooLate) {
                return -1L;
            }
        });
    }

    @Test
    @Order(3)
    void aRevocationReachesEveryInstanceOfEveryServiceWithinASecond() {
        JsonPath created = createKey(APIKEY, "{\"name\":\"doomed\"}");
        String key = created.getString("key");
        String token = exchange(key);
        // Every instance remembers the key (and the token) first.
        assertEquals(200, organizationAt(TENANT, bearer(key)));
        assertEquals(200, organizationAt(TENANT_2, bearer(key)));
        assertEquals(200, organizationAt(TENANT, bearer(token)));
        assertEquals(200, organizationAt(TENANT_2, bearer(token)));
        assertEquals(200, send("GET", APIKEY_2 + "/v1/api-keys", bearer(key), null).status());
        exchange(key);

        Reply revoked = send("DELETE", APIKEY + "/v1/api-keys/" + created.getString("id"), bearer(adminKey), null);
        Instant at = Instant.now();
        assertEquals(200, revoked.status());
        Map<String, CompletableFuture<Long>> observers = new LinkedHashMap<>();
        observers.put("tenant-service #1, the key", refusedAfter(at, () -> organizationAt(TENANT, bearer(key))));
        observers.put("tenant-service #2, the key", refusedAfter(at, () -> organizationAt(TENANT_2, Map.of("X-API-Key", key))));
        observers.put("tenant-service #1, its token", refusedAfter(at, () -> organizationAt(TENANT, bearer(token))));
        observers.put("tenant-service #2, its token", refusedAfter(at, () -> organizationAt(TENANT_2, bearer(token))));
        observers.put("apikey-service #2, the key",
                refusedAfter(at, () -> send("GET", APIKEY_2 + "/v1/api-keys", bearer(key), null).status()));
        observers.put("identity-service, exchanging it", refusedAfter(at,
                () -> send("POST", IDENTITY + "/v1/auth/token", Map.of(), "{\"api_key\":\"" + key + "\"}").status()));
        observers.forEach((who, after) -> {
            long millis = after.join();
            assertTrue(millis >= 0 && millis < 1000, who + " refused the revoked key after " + millis + " ms");
        });
        assertEquals("api_key_revoked", send("GET", TENANT_2 + "/v1/organizations/" + organization, bearer(key), null)
                .body().getString("code"));
    }

    @Test
    @Order(4)
    void aRotationGraceIsHonouredEverywhereAndEndsEverywhere() throws Exception {
        JsonPath old = createKey(APIKEY, "{\"name\":\"rotated\"}");
        String oldKey = old.getString("key");
        String oldToken = exchange(oldKey);
        Reply rotated = send("POST", APIKEY_2 + "/v1/api-keys/" + old.getString("id") + "/rotate", bearer(adminKey),
                "{\"grace_period_seconds\":4}");
        assertEquals(201, rotated.status(), rotated.raw().body());
        String newKey = rotated.body().getString("key");
        KEYS.add(newKey);
        Instant end = OffsetDateTime.parse(rotated.body().getString("previous_key_revoked_at")).toInstant();
        // Both keys keep working, everywhere, through the grace (checked from now until a second before its end: the
        // last check may start a poll interval after the window and take a moment)...
        Duration grace = Duration.between(Instant.now(), end.minusMillis(1000));
        Awaitility.await("both keys work during the grace").during(grace).atMost(grace.plusSeconds(5))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .until(() -> organizationAt(TENANT, bearer(oldKey)) == 200 && organizationAt(TENANT_2, bearer(oldKey)) == 200
                        && organizationAt(TENANT, bearer(newKey)) == 200 && organizationAt(TENANT_2, bearer(newKey)) == 200
                        && organizationAt(TENANT, bearer(oldToken)) == 200);
        // ...and the old one stops at its end, everywhere.
        List<CompletableFuture<Long>> refused = List.of(
                refusedAfter(end, () -> organizationAt(TENANT, bearer(oldKey))),
                refusedAfter(end, () -> organizationAt(TENANT_2, bearer(oldKey))),
                refusedAfter(end, () -> organizationAt(TENANT_2, bearer(oldToken))),
                refusedAfter(end, () -> send("GET", APIKEY + "/v1/api-keys", bearer(oldKey), null).status()));
        for (CompletableFuture<Long> after : refused) {
            long millis = after.join();
            assertTrue(millis >= 0 && millis < 1000, "the old key stopped " + millis + " ms after its grace");
        }
        assertEquals(200, organizationAt(TENANT_2, bearer(newKey)));
    }

    @Test
    @Order(5)
    void aRateLimitIsExactAcrossInstancesAndServices() {
        int limit = 10;
        int requests = 40;
        String key = createKey(APIKEY, "{\"name\":\"limited\",\"rate_limit\":{\"per_minute\":1,\"burst\":" + limit + "}}")
                .getString("key");
        List<String> urls = List.of(TENANT + "/v1/organizations/" + organization,
                TENANT_2 + "/v1/organizations/" + organization, APIKEY + "/v1/api-keys", APIKEY_2 + "/v1/api-keys");
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            inFlight.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(urls.get(i % urls.size())))
                    .header("X-API-Key", key).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = inFlight.stream().map(CompletableFuture::join).toList();
        long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
        List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertEquals(limit, ok, "exactly " + limit + " of " + requests + " succeed, wherever they land");
        assertEquals(requests - limit, limited.size());
        for (HttpResponse<String> response : limited) {
            assertEquals("rate_limited", JsonPath.from(response.body()).getString("code"));
            assertNotNull(response.headers().firstValue("Retry-After").orElse(null), response.uri().toString());
            assertEquals("1", response.headers().firstValue("RateLimit-Limit").orElse(null));
            assertEquals("0", response.headers().firstValue("RateLimit-Remaining").orElse(null));
            assertNotNull(response.headers().firstValue("RateLimit-Reset").orElse(null));
        }
        responses.stream().filter(r -> r.statusCode() == 200).forEach(r -> assertNotNull(
                r.headers().firstValue("RateLimit-Remaining").orElse(null), r.uri() + " sends RateLimit-* on success"));
    }

    static long keyHashIndexScans() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc(), Suite.DB_USER, Suite.DB_PASSWORD);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select coalesce(sum(idx_scan), 0) from pg_stat_user_indexes"
                        + " where schemaname = 'apikey' and indexrelname = 'api_keys_key_hash_key'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    @Order(6)
    void mistypedKeysAreRefusedEverywhereWithoutADatabaseQuery() throws Exception {
        String key = createKey(APIKEY, "{\"name\":\"typo\"}").getString("key");
        assertEquals(200, organizationAt(TENANT, bearer(key)));
        // This wait is PostgreSQL's: a backend publishes its index statistics within 10 s of going idle, and nothing
        // visible says that every backend of the services has done so. The count below must start after them.
        Thread.sleep(11_000);
        long before = keyHashIndexScans();
        for (int position = 3; position < key.length(); position += 4) {
            if (key.charAt(position) == '_') {
                continue;
            }
            char c = key.charAt(position);
            String typo = key.substring(0, position) + (c == 'a' ? 'b' : 'a') + key.substring(position + 1);
            for (String tenant : List.of(TENANT, TENANT_2)) {
                Reply reply = send("GET", tenant + "/v1/organizations/" + organization, bearer(typo), null);
                assertEquals(401, reply.status());
                assertEquals("invalid_api_key", reply.body().getString("code"));
            }
            assertEquals(401, send("POST", IDENTITY + "/v1/auth/token", Map.of(), "{\"api_key\":\"" + typo + "\"}").status());
            assertEquals(401, send("GET", APIKEY_2 + "/v1/api-keys", Map.of("X-API-Key", typo), null).status());
        }
        // The control: one unknown but well-formed key must show up as exactly one lookup.
        String unknown = wellFormedUnknownKey();
        assertEquals(401, organizationAt(TENANT, bearer(unknown)));
        long after = Awaitility.await("the unknown key's lookup in the statistics").atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(250)).until(ApiKeysAcrossServicesTest::keyHashIndexScans, n -> n != before);
        assertEquals(before + 1, after, "typos never reached PostgreSQL; the one unknown key did, once");
    }

    /** A key of the right shape with a valid checksum (CRC32 in base62, as ApiKeyFormat makes them) that nobody has. */
    static String wellFormedUnknownKey() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder body = new StringBuilder("lk_");
        for (int i = 0; i < 36; i++) {
            body.append(alphabet.charAt(random.nextInt(62)));
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] checksum = new char[6];
        for (int i = 5; i >= 0; i--) {
            checksum[i] = alphabet.charAt((int) (value % 62));
            value /= 62;
        }
        return body + "_" + new String(checksum);
    }

    @Test
    @Order(7)
    void lastUseAtAnotherServiceIsVisibleWithinSeconds() throws Exception {
        JsonPath created = createKey(APIKEY, "{\"name\":\"used\"}");
        assertEquals(200, organizationAt(TENANT_2, bearer(created.getString("key"))));
        Awaitility.await("last_used_at within 10 s of a use at tenant-service").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> send("GET", APIKEY + "/v1/api-keys/" + created.getString("id"), bearer(adminKey), null).body()
                        .getString("last_used_at"), Objects::nonNull);
    }

    @Test
    @Order(8)
    void tenantServicesAuditLogShowsWhatHappenedToKeysAndWho() throws Exception {
        JsonPath created = createKey(APIKEY_2, "{\"name\":\"audited\"}");
        String id = created.getString("id");
        assertEquals(200, send("PATCH", APIKEY + "/v1/api-keys/" + id, bearer(adminKey), "{\"name\":\"audited-2\"}").status());
        assertEquals(200, send("DELETE", APIKEY_2 + "/v1/api-keys/" + id, bearer(adminKey), null).status());
        String payload = exchange(adminKey).split("\\.")[1];
        String adminKeyId = JsonPath.from(new String(java.util.Base64.getUrlDecoder().decode(payload),
                java.nio.charset.StandardCharsets.UTF_8)).getString("key_id");
        List<Map<String, Object>> events = Awaitility.await("three audit events").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    Reply audit = send("GET", TENANT_2 + "/v1/organizations/" + organization + "/audit?limit=100",
                            bearer(adminKey), null);
                    assertEquals(200, audit.status(), audit.raw().body());
                    return audit.body().<Map<String, Object>>getList("events.findAll { it.target.id == '" + id + "' }");
                }, found -> found.size() >= 3);
        List<Object> actions = events.stream().map(e -> e.get("action")).toList();
        assertTrue(actions.containsAll(List.of("api_key.created", "api_key.renamed", "api_key.revoked")),
                "apikey-service's events reached tenant-service's audit log through its outbox: " + events);
        for (Map<String, Object> event : events) {
            @SuppressWarnings("unchecked")
            Map<String, Object> actor = (Map<String, Object>) event.get("actor");
            assertEquals("api_key", actor.get("type"), event.toString());
            assertEquals(adminKeyId, actor.get("id"), event.toString());
        }
        assertEquals(3, events.size(), "each event recorded once: " + events);
    }

    @Test
    @Order(9)
    void deletingAnOrganizationAtTenantServiceRevokesItsKeysEverywhere() {
        String email = "owner-" + System.nanoTime() + "@example.test";
        String password = "e2e-" + java.util.UUID.randomUUID();
        Reply registered = send("POST", IDENTITY + "/v1/auth/register", Map.of(),
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"Owner\"}", PASSWORD_HASHING);
        assertEquals(201, registered.status(), registered.raw().body());
        Reply login = send("POST", IDENTITY + "/v1/auth/login", Map.of(),
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", PASSWORD_HASHING);
        assertEquals(200, login.status(), login.raw().body());
        Reply made = send("POST", TENANT + "/v1/organizations", bearer(login.body().getString("access_token")),
                "{\"name\":\"Doomed " + System.nanoTime() + "\"}");
        assertEquals(201, made.status(), made.raw().body());
        String doomed = made.body().getString("id");
        Reply switched = send("POST", IDENTITY + "/v1/auth/switch-org", bearer(login.body().getString("access_token")),
                "{\"organization_id\":\"" + doomed + "\"}");
        assertEquals(200, switched.status(), switched.raw().body());
        String owner = switched.body().getString("access_token");
        Reply keyReply = send("POST", APIKEY_2 + "/v1/api-keys", bearer(owner), "{\"name\":\"doomed-org\"}");
        assertEquals(201, keyReply.status(), keyReply.raw().body());
        String key = keyReply.body().getString("key");
        KEYS.add(key);
        String token = exchange(key);
        List<String> checks = List.of(TENANT + "/v1/me", TENANT_2 + "/v1/me", WEBHOOK + "/v1/webhook-events",
                APIKEY_2 + "/v1/api-keys");
        for (String url : checks) {
            assertEquals(200, send("GET", url, bearer(key), null).status(), url);
        }
        assertEquals(200, send("GET", TENANT_2 + "/v1/me", bearer(token), null).status());

        Reply deleted = send("DELETE", TENANT + "/v1/organizations/" + doomed, bearer(owner), null);
        Instant at = Instant.now();
        assertEquals(204, deleted.status(), deleted.raw().body());
        Map<String, CompletableFuture<Long>> observers = new LinkedHashMap<>();
        for (String url : checks) {
            observers.put(url + " with the key", refusedAfter(at, () -> send("GET", url, bearer(key), null).status()));
        }
        observers.put("tenant-service #2 with its token",
                refusedAfter(at, () -> send("GET", TENANT_2 + "/v1/me", bearer(token), null).status()));
        observers.forEach((who, after) -> {
            long millis = after.join();
            assertTrue(millis >= 0 && millis < 1000, who + " refused a key of the deleted organization after " + millis + " ms");
        });
        assertEquals("api_key_revoked", send("GET", APIKEY + "/v1/api-keys", bearer(key), null).body().getString("code"));
    }

    @Test
    @Order(10)
    void inProductionApikeyServiceRefusesToStartWithoutItsPepper() throws Exception {
        Suite.Refusal refusal = suite.startWithout("apikey-service", "LATCHKEY_APIKEY_PEPPER");
        assertNotEquals(0, refusal.exitCode(), refusal.log());
        assertTrue(refusal.log().contains("LATCHKEY_APIKEY_PEPPER"), refusal.log());
        assertFalse(refusal.log().contains(suite.secret("LATCHKEY_APIKEY_SERVICE_CLIENT_SECRET")));
    }

    @Test
    @Order(11)
    void noServiceLoggedAnyKey() throws Exception {
        // Stopped, so that whatever they log on the way out is in the files too.
        suite.stopSecondInstance("tenant-service");
        suite.stopSecondInstance("apikey-service");
        assertTrue(KEYS.size() >= 8, KEYS.size() + " keys");
        List<Path> logs;
        try (Stream<Path> files = Files.list(suite.logs())) {
            logs = files.filter(p -> p.toString().endsWith(".log")).toList();
        }
        assertTrue(logs.size() >= 6, "the logs of every instance: " + logs);
        for (Path log : logs) {
            String text = Files.readString(log);
            for (String key : KEYS) {
                String secret = key.substring(key.length() - 30, key.length() - 8);
                assertFalse(text.contains(secret), log.getFileName() + " holds a key (" + key.substring(0, 7) + "…)");
            }
        }
    }
}
