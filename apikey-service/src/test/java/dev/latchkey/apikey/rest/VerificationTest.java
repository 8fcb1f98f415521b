package dev.latchkey.apikey.rest;

import static org.hamcrest.Matchers.nullValue;
import static dev.latchkey.apikey.rest.Fixtures.apiKey;
import static dev.latchkey.apikey.rest.Fixtures.bearer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.repository.KeyVerificationStore;
import dev.latchkey.apikey.rest.Fixtures.Org;
import dev.latchkey.apikey.secret.KeyHasher;
import dev.latchkey.common.auth.ApiKeyFormat;
import dev.latchkey.common.auth.Revocations;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.testing.FakeLatchkey;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The verification path: what reaches PostgreSQL and what does not, how long verdicts are trusted, and what
 * happens when the revocation channel is lost.
 */
@QuarkusTest
class VerificationTest {

    @Inject
    KeyVerificationStore repository;
    @Inject
    Pool pool;
    @Inject
    Revocations revocations;
    @Inject
    RedisDataSource redis;

    @BeforeEach
    void tenantUp() {
        Fixtures.tenantAcceptsAudit();
        awaitTrusted();
    }

    void awaitTrusted() {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertTrue(revocations.trusted(), "subscribed to revocations"));
    }

    /** Sleeps; only where the passing of time is itself the behaviour under test. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRememberedKeyIsVerifiedWithoutPostgres() {
        String key = Fixtures.adminKey(Fixtures.org())[1];
        Fixtures.verifyStatus(key, "VALID");
        long before = repository.hashLookups();
        for (int i = 0; i < 20; i++) {
            Fixtures.verifyStatus(key, "VALID");
            apiKey(key).get("/v1/api-keys").then().statusCode(200);
        }
        assertEquals(before, repository.hashLookups());
    }

    @Test
    void aMistypedKeyIsRefusedWithoutADatabaseQuery() {
        String key = Fixtures.adminKey(Fixtures.org())[1];
        long before = repository.hashLookups();
        // One character changed anywhere after the prefix: the checksum catches it.
        for (int position = 3; position < key.length(); position += 3) {
            if (key.charAt(position) == '_') {
                continue;
            }
            String typo = Fixtures.typo(key, position);
            Fixtures.verifyStatus(typo, "MALFORMED");
            Fixtures.verifyWith(typo).then().body("key_id", nullValue());
            apiKey(typo).get("/v1/api-keys").then().statusCode(401).body("code", equalTo("invalid_api_key"));
        }
        Fixtures.verifyStatus("hello", "MALFORMED");
        Fixtures.verifyStatus("x".repeat(256), "MALFORMED");
        assertEquals(before, repository.hashLookups(), "no typo reached PostgreSQL");
    }

    @Test
    void anUnknownKeyReachesPostgresOnceThenIsRememberedAsUnknown() {
        String unknown = ApiKeyFormat.assemble("lk", Secrets.randomBase62(36));
        long before = repository.hashLookups();
        Fixtures.verifyStatus(unknown, "NOT_FOUND");
        assertEquals(before + 1, repository.hashLookups());
        for (int i = 0; i < 10; i++) {
            Fixtures.verifyStatus(unknown, "NOT_FOUND");
        }
        assertEquals(before + 1, repository.hashLookups());
    }

    @Test
    void aVerdictNeverOutlivesTheKeysExpiry() {
        Org org = Fixtures.org();
        String expires = OffsetDateTime.now().plusSeconds(2).toString();
        String key = Fixtures.create(org.owner(), "{\"name\":\"short\",\"expires_at\":\"" + expires + "\"}").getString("key");
        Fixtures.verifyStatus(key, "VALID");
        apiKey(key).get("/v1/api-keys").then().statusCode(200);
        // The expiry passing is the behaviour under test: right after it, no cached verdict may still say VALID.
        sleep(Math.max(0, Duration.between(Instant.now(), OffsetDateTime.parse(expires).toInstant()).toMillis()) + 20);
        Fixtures.verifyStatus(key, "EXPIRED");
        apiKey(key).get("/v1/api-keys").then().statusCode(401).body("code", equalTo("api_key_expired"));
    }

    @Test
    void aCacheThatLostItsSubscriptionAsksPostgresUntilItIsBack() {
        Org org = Fixtures.org();
        String key = Fixtures.adminKey(org)[1];
        JsonPath victim = Fixtures.create(org.owner());
        Fixtures.verifyStatus(key, "VALID");
        Fixtures.verifyStatus(victim.getString("key"), "VALID");
        // Revoked behind the caches' back (as if the announcement were lost): the trusted cache still says VALID.
        pool.preparedQuery("update apikey.api_keys set revoked_at = now(), revocation_announced = true where id = $1")
                .execute(Tuple.of(UUID.fromString(victim.getString("id")))).await().indefinitely();
        Fixtures.verifyStatus(victim.getString("key"), "VALID");
        String victimToken = Fixtures.exchanged(org.id(), victim.getString("id"), "read_write",
                Map.of("type", "organization"));
        bearer(victimToken).get("/v1/api-keys").then().statusCode(200);

        // The subscription is cut, and identity cannot answer the resync that would restore it: this instance
        // stays untrusted until identity answers again.
        FakeLatchkey.on("GET", "/internal/v1/sessions/ended", r -> new FakeLatchkey.Response(503, "{}"));
        try {
            killOurSubscription();
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .untilAsserted(() -> assertFalse(revocations.trusted(), "the lost subscription was noticed"));
            for (int i = 0; i < 3; i++) {
                long before = repository.hashLookups();
                Fixtures.verifyStatus(key, "VALID");
                assertEquals(before + 1, repository.hashLookups(), "an untrusted cache asks PostgreSQL every time");
            }
            Fixtures.verifyStatus(victim.getString("key"), "REVOKED");
            bearer(victimToken).get("/v1/api-keys").then().statusCode(401).body("code", equalTo("api_key_revoked"));
            assertFalse(revocations.trusted());
        } finally {
            FakeLatchkey.on("GET", "/internal/v1/sessions/ended", r -> new FakeLatchkey.Response(200, "{\"sessions\":[]}"));
        }

        awaitTrusted();
        Fixtures.verifyStatus(key, "VALID");
        long before = repository.hashLookups();
        Fixtures.verifyStatus(key, "VALID");
        assertEquals(before, repository.hashLookups(), "trusted again once resubscribed");
    }

    /** Closes this application's pub/sub connection to Redis (only ours: it carries our client name). */
    void killOurSubscription() {
        String name = ConfigProvider.getConfig().getValue("quarkus.redis.client-name", String.class);
        String clients = redis.execute("CLIENT", "LIST").toString();
        int killed = 0;
        for (String line : clients.split("\n")) {
            if (line.contains(" name=" + name + " ") && !line.contains(" sub=0 ")) {
                String id = line.substring(3, line.indexOf(' '));
                redis.execute("CLIENT", "KILL", "ID", id);
                killed++;
            }
        }
        assertTrue(killed > 0, "found our subscription among: " + clients);
    }

    @Test
    void aRevocationThatWasNeverAnnouncedIsReloadedFromPostgresBeforeTheCacheIsTrustedAgain() {
        Org org = Fixtures.org();
        JsonPath victim = Fixtures.create(org.owner());
        String token = Fixtures.exchanged(org.id(), victim.getString("id"), "read_write", Map.of("type", "organization"));
        bearer(token).get("/v1/api-keys").then().statusCode(200);
        // Revoked in PostgreSQL only, as when Redis was down or lost what it held: no announcement, nothing in Redis.
        pool.preparedQuery("update apikey.api_keys set revoked_at = now(), revocation_announced = true where id = $1")
                .execute(Tuple.of(UUID.fromString(victim.getString("id")))).await().indefinitely();
        bearer(token).get("/v1/api-keys").then().statusCode(200);

        // No request is made while untrusted: only the resync can tell this instance about the revocation.
        killOurSubscription();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertFalse(revocations.trusted(), "the lost subscription was noticed"));
        awaitTrusted();
        bearer(token).get("/v1/api-keys").then().statusCode(401).body("code", equalTo("api_key_revoked"));
    }

    @Test
    void theEndOfARotationGraceIsAnnouncedSoExchangedTokensStopThen() {
        Org org = Fixtures.org();
        String[] admin = Fixtures.adminKey(org);
        String token = Fixtures.exchanged(org.id(), admin[0], "read_write", Map.of("type", "organization"));
        var rotated = bearer(org.owner()).body("{\"grace_period_seconds\":2}").post("/v1/api-keys/" + admin[0] + "/rotate");
        rotated.then().statusCode(201);
        Fixtures.PLAINTEXTS.add(rotated.jsonPath().getString("key"));
        Instant end = OffsetDateTime.parse(rotated.jsonPath().getString("previous_key_revoked_at")).toInstant();
        bearer(token).get("/v1/api-keys").then().statusCode(200);
        Awaitility.await("the exchanged token is refused within a second of the grace's end")
                .atMost(Duration.between(Instant.now(), end).plusSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> bearer(token).get("/v1/api-keys").statusCode() == 401);
    }

    @Test
    void aKeyHashedUnderAPreviousPepperWorksAndMovesToTheCurrentOne() {
        String key = ApiKeyFormat.assemble("lk", Secrets.randomBase62(36));
        Fixtures.PLAINTEXTS.add(key);
        KeyHasher previous = new KeyHasher(config("latchkey.apikey.previous-peppers"), List.of());
        UUID id = insert(UUID.randomUUID(), key, previous.hash(key), previous.currentScheme());
        Fixtures.verifyStatus(key, "VALID");
        KeyHasher current = new KeyHasher(config("latchkey.apikey.pepper"), List.of());
        Row row = awaitScheme(id, current.currentScheme());
        assertArrayEquals(current.hash(key), row.getBuffer("key_hash").getBytes());
    }

    @Test
    void lastUseIsVisibleWithinSecondsWithoutTheHotPathWritingPostgres() {
        Org org = Fixtures.org();
        JsonPath created = Fixtures.create(org.owner());
        apiKey(created.getString("key")).get("/v1/api-keys").then().statusCode(200);
        String lastUsed = Awaitility.await("last_used_at within 10 s").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> bearer(org.owner()).get("/v1/api-keys/" + created.getString("id")).then().statusCode(200)
                        .extract().<String>path("last_used_at"), Objects::nonNull);
        assertNotNull(lastUsed, "last_used_at within 10 s");
        Instant at = OffsetDateTime.parse(lastUsed).toInstant();
        assertTrue(!at.isAfter(Instant.now()) && at.isAfter(Instant.now().minusSeconds(30)), lastUsed);
        assertFalse(redis.execute("HEXISTS", config("latchkey.auth.last-used-hash"), created.getString("id"))
                .toInteger() == 1, "drained from Redis");
    }

    @Test
    void theVerdictCarriesOrganizationCapabilityScopeLimitsAndEnd() {
        Org org = Fixtures.org();
        String expires = OffsetDateTime.now().plusDays(3).withNano(0).toString();
        String key = Fixtures.create(org.owner(), "{\"name\":\"v\",\"capability\":\"read\",\"expires_at\":\"" + expires
                + "\",\"resource_scope\":{\"type\":\"branch\",\"ids\":[\"main\"]},\"rate_limit\":{\"per_minute\":50,\"burst\":5}}")
                .getString("key");
        Fixtures.verifyWith(key).then().statusCode(200)
                .body("valid", equalTo(true)).body("organization_id", equalTo(org.id()))
                .body("capability", equalTo("read")).body("resource_scope.type", equalTo("branch"))
                .body("resource_scope.ids", equalTo(List.of("main"))).body("rate_limit.per_minute", equalTo(50))
                .body("rate_limit.burst", equalTo(5)).body("expires_at", notNullValue()).body("key_id", notNullValue());
    }

    UUID insert(UUID organization, String key, byte[] hash, String scheme) {
        return pool.preparedQuery("insert into apikey.api_keys (organization_id, name, key_hash, hash_scheme, start)"
                + " values ($1, 'old', $2, $3, $4) returning id")
                .execute(Tuple.of(organization, Buffer.buffer(hash), scheme, key.substring(0, 7)))
                .await().indefinitely().iterator().next().getUUID("id");
    }

    Row awaitScheme(UUID id, String scheme) {
        Row row = Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> pool.preparedQuery("select key_hash, hash_scheme from apikey.api_keys where id = $1")
                        .execute(Tuple.of(id)).await().indefinitely().iterator().next(),
                        found -> scheme.equals(found.getString("hash_scheme")));
        assertEquals(scheme, row.getString("hash_scheme"));
        return row;
    }

    static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}
