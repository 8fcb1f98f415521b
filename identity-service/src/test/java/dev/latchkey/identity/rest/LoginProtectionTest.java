package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.service.LoginLimiter;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** Credential stuffing and account enumeration, the attacks on sign-in. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class LoginProtectionTest {

    /** latchkey.identity.login-limits.per-account (default). */
    static final int PER_ACCOUNT = 10;

    @Inject
    LoginLimiter limiter;

    @Inject
    ReactiveRedisDataSource redis;

    @ConfigProperty(name = "latchkey.identity.login-limits.key-prefix")
    String keyPrefix;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    @Test
    void theAccountLimitHoldsUnderConcurrentGuessesAndLocksOutEvenTheRightPassword() throws Exception {
        String email = People.newEmail();
        People.register(email, People.PASSWORD, "Target").statusCode(201);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Callable<Integer>> guesses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String guess = "guess number " + i + " xyz";
            guesses.add(() -> People.login(email, guess).extract().statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(guesses)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertEquals(PER_ACCOUNT, Collections.frequency(statuses, 401), "only the limit's worth of guesses were checked: " + statuses);
        assertEquals(30 - PER_ACCOUNT, Collections.frequency(statuses, 429), statuses.toString());

        ExtractableResponse<Response> locked = People.login(email, People.PASSWORD).statusCode(429).extract();
        assertEquals("rate_limited", locked.path("code"));
        assertTrue(Integer.parseInt(locked.header("Retry-After")) > 0);
    }

    @Test
    void anUnknownAccountIsLimitedExactlyLikeAKnownOne() {
        String nobody = People.newEmail();
        for (int i = 0; i < PER_ACCOUNT; i++) {
            People.login(nobody, "whatever it is " + i).statusCode(401);
        }
        People.login(nobody, "whatever it is").statusCode(429);
    }

    @Test
    void aSuccessForgivesTheAccountsEarlierFailures() {
        String email = People.newEmail();
        People.register(email, People.PASSWORD, "F").statusCode(201);
        for (int i = 0; i < PER_ACCOUNT - 1; i++) {
            People.login(email, "wrong " + i + " password").statusCode(401);
        }
        People.login(email, People.PASSWORD).statusCode(200);
        for (int i = 0; i < PER_ACCOUNT - 1; i++) {
            People.login(email, "wrong again " + i).statusCode(401);
        }
    }

    @Test
    void oneClientAddressIsLimitedAcrossAccounts() {
        String address = "203.0.113." + (int) (Math.random() * 250);
        int allowed = 0;
        try {
            for (int i = 0; i < 150; i++) {
                limiter.reserve("victim-" + i + "@example.com", address).await().indefinitely();
                allowed++;
            }
        } catch (ApiException e) {
            assertEquals(429, e.status());
        }
        assertEquals(100, allowed, "latchkey.identity.login-limits.per-address");
    }

    @Test
    void aCounterGivenBackAfterItsWindowEndedStillExpires() {
        // A success gives its slot back with DECR; when the window ended in between, DECR re-creates the counter
        // without an expiry, and an address counted on it would be locked out for good once at the limit.
        String address = "198.51.100." + (int) (Math.random() * 250);
        limiter.succeeded(People.newEmail(), address).await().indefinitely();
        limiter.reserve(People.newEmail(), address).await().indefinitely();
        assertTrue(ttl(keyPrefix + "address:" + address) > 0, "the sign-in counter expires");
        limiter.userCodeMatched(address).await().indefinitely();
        limiter.reserveUserCode(address).await().indefinitely();
        assertTrue(ttl(keyPrefix + "user-code:address:" + address) > 0, "the user-code counter expires");
    }

    long ttl(String key) {
        return redis.execute("PTTL", key).await().indefinitely().toLong();
    }

    @Test
    void unknownAddressesAndWrongPasswordsTakeAboutTheSameTime() {
        String email = People.newEmail();
        People.register(email, People.PASSWORD, "T").statusCode(201);
        List<Long> wrong = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // Fresh accounts for the wrong-password side too, so that no limit is reached.
            String known = People.newEmail();
            People.register(known, People.PASSWORD, "T").statusCode(201);
            wrong.add(time(() -> People.login(known, "not the right one").statusCode(401)));
            unknown.add(time(() -> People.login(People.newEmail(), "not the right one").statusCode(401)));
        }
        double ratio = (double) median(unknown) / median(wrong);
        assertTrue(ratio > 0.33 && ratio < 3, "unknown/wrong median time ratio " + ratio + " (" + unknown + " vs " + wrong + ")");
    }

    static long time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
