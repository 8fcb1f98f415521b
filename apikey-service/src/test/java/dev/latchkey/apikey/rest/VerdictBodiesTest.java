package dev.latchkey.apikey.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.auth.KeyVerification;
import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.auth.RateLimiter;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;
import io.quarkus.test.junit.QuarkusTest;

/** Verify's remembered bodies are byte for byte what the REST layer's Jackson writes, and never a stale one. */
@QuarkusTest
class VerdictBodiesTest {

    @Inject
    VerdictBodies bodies;

    @Inject
    ObjectMapper mapper;

    static KeyVerification valid(String name) {
        return KeyVerification.valid("k1", "o1", name, Capability.READ, ResourceScope.ORGANIZATION, List.of("a"),
                new RateLimit(60, 10), OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC));
    }

    @Test
    void everyStatusWithoutDetailsIsWhatJacksonWrites() throws Exception {
        for (String status : List.of(KeyVerification.NOT_FOUND, KeyVerification.REVOKED, KeyVerification.EXPIRED,
                KeyVerification.MALFORMED)) {
            KeyVerification verdict = KeyVerification.of(status);
            assertArrayEquals(mapper.writeValueAsBytes(verdict), bodies.of(verdict), status);
        }
    }

    @Test
    void aValidVerdictIsWrittenOnceAndAnEqualButNewVerdictAfresh() throws Exception {
        KeyVerification first = valid("ci");
        byte[] body = bodies.of(first);
        assertArrayEquals(mapper.writeValueAsBytes(first), body);
        assertSame(body, bodies.of(first), "the same verdict object is answered from memory");

        // A key that changed gets a new verdict from ApiKeys: it must never be answered with the old body.
        KeyVerification renamed = valid("renamed");
        assertArrayEquals(mapper.writeValueAsBytes(renamed), bodies.of(renamed));
        KeyVerification equalButNew = valid("ci");
        assertNotSame(body, bodies.of(equalButNew));
    }

    @Test
    void aRateLimitOutcomeIsWrittenForEachRequest() throws Exception {
        KeyVerification known = valid("ci");
        bodies.of(known);
        RateLimit limit = new RateLimit(60, 10);
        KeyVerification allowed = known.withRateLimit(new RateLimiter.Decision(true, limit, 9, 0, 1000));
        KeyVerification refused = known.withRateLimit(new RateLimiter.Decision(false, limit, 0, 1500, 6000));
        assertArrayEquals(mapper.writeValueAsBytes(allowed), bodies.of(allowed));
        assertArrayEquals(mapper.writeValueAsBytes(refused), bodies.of(refused));
        KeyVerification nextRequest = known.withRateLimit(new RateLimiter.Decision(true, limit, 8, 0, 2000));
        assertArrayEquals(mapper.writeValueAsBytes(nextRequest), bodies.of(nextRequest));
    }
}
