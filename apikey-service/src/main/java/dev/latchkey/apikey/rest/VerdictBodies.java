package dev.latchkey.apikey.rest;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.latchkey.common.auth.KeyVerification;

/**
 * The JSON bodies of the internal verify's answers, written once per verdict instead of once per request.
 * <p>
 * Why: after Bean Validation, writing the 15-field {@link KeyVerification} with Jackson was the largest cost of
 * verifying a key this instance already knows (bench/README.md, apikey-service). The verdicts themselves are already
 * remembered: {@code ApiKeys} answers a known key with the very verdict object it cached, and every other
 * status without details is one of six fixed bodies. So:
 * <ul>
 * <li>a status without details (NOT_FOUND, REVOKED, EXPIRED, MALFORMED) is one of the fixed bodies, made at
 * start-up;</li>
 * <li>a valid verdict's body is remembered by the verdict's identity (weak keys: when {@code ApiKeys} forgets
 * the verdict, because the key changed, expired or was evicted, its body goes with it at the next collection,
 * and a new verdict never matches an old one's body);</li>
 * <li>a verdict carrying this request's rate-limit outcome is written afresh: it is different every time.</li>
 * </ul>
 * The bytes are exactly what the REST layer's Jackson would have written (the same {@link ObjectMapper}).
 */
@Singleton
public class VerdictBodies {

    private static final List<String> PLAIN_STATUSES = List.of(KeyVerification.NOT_FOUND, KeyVerification.REVOKED,
            KeyVerification.EXPIRED, KeyVerification.MALFORMED);

    private final ObjectWriter writer;
    private final Map<String, Plain> plain = new HashMap<>();
    /** Bounded as ApiKeys' cache of valid keys is by default; weak keys compare by identity. */
    private final Cache<KeyVerification, byte[]> valid = Caffeine.newBuilder().weakKeys().maximumSize(50_000).build();

    private record Plain(KeyVerification verdict, byte[] body) {
    }

    public VerdictBodies(ObjectMapper mapper) {
        this.writer = mapper.writerFor(KeyVerification.class);
        for (String status : PLAIN_STATUSES) {
            KeyVerification verdict = KeyVerification.of(status);
            plain.put(status, new Plain(verdict, write(verdict)));
        }
    }

    /** The JSON of {@code verdict}. */
    public byte[] of(KeyVerification verdict) {
        if (verdict.rateLimitRemaining() != null || verdict.retryAfterMillis() != null
                || verdict.rateLimitResetMillis() != null) {
            return write(verdict);
        }
        if (!verdict.valid()) {
            Plain fixed = plain.get(verdict.status());
            return fixed != null && fixed.verdict().equals(verdict) ? fixed.body() : write(verdict);
        }
        return valid.get(verdict, this::write);
    }

    private byte[] write(KeyVerification verdict) {
        try {
            return writer.writeValueAsBytes(verdict);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
