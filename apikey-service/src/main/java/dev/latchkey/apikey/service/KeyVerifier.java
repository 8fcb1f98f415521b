package dev.latchkey.apikey.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.apikey.domain.ApiKey;
import dev.latchkey.apikey.repository.KeyVerificationStore;
import dev.latchkey.apikey.secret.KeyHasher;
import dev.latchkey.apikey.secret.VerificationStatus;
import dev.latchkey.common.auth.ApiKeyFormat;
import dev.latchkey.common.auth.AuthConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Verification of a presented key against this service's own database ({@link LocalApiKeyLookup}), and whether
 * tokens exchanged from a key may still be accepted. A key is looked up by its keyed hash, so no secret is
 * compared in application code.
 */
@ApplicationScoped
public class KeyVerifier {

    private final KeyVerificationStore keys;
    private final KeyHasher hasher;
    private final RevocationAnnouncer announcer;
    private final long windowSeconds;

    public KeyVerifier(KeyVerificationStore keys, KeyHasher hasher, RevocationAnnouncer announcer, AuthConfig auth) {
        this.keys = keys;
        this.hasher = hasher;
        this.announcer = announcer;
        this.windowSeconds = auth.sessionRevocationWindow().toSeconds();
    }

    public record Verification(VerificationStatus status, ApiKey key) {
    }

    /**
     * Looks {@code key} up by its keyed hash (one indexed query, with the candidates under previous peppers in the
     * same query). A row found under a previous pepper is re-hashed under the current one in the background.
     */
    public Uni<Verification> verify(String key) {
        if (!ApiKeyFormat.wellFormed(key)) {
            return Uni.createFrom().item(new Verification(VerificationStatus.NOT_FOUND, null));
        }
        List<KeyHasher.Candidate> candidates = hasher.candidates(key);
        return keys.findByHashes(candidates.stream().map(KeyHasher.Candidate::hash).toList()).map(found -> {
            if (found.isEmpty()) {
                return new Verification(VerificationStatus.NOT_FOUND, null);
            }
            ApiKey stored = found.get().key();
            if (!hasher.currentScheme().equals(found.get().storedScheme())) {
                keys.rehash(stored.id(), found.get().storedHash(), candidates.get(0).hash(), hasher.currentScheme())
                        .subscribe().with(ignored -> Log.debugf("key %s re-hashed under the current pepper", stored.id()),
                                e -> Log.debugf("key %s not re-hashed yet: %s", stored.id(), e.toString()));
            }
            return new Verification(stored.status(Instant.now()), stored);
        });
    }

    /**
     * Until when tokens exchanged from key {@code keyId} must be refused: 0 while it works, else its end plus the
     * revocation window (an unknown id is denied from now on).
     */
    public Uni<Long> denyUntil(String keyId) {
        UUID id = KeyRequestRules.parseIdOrNull(keyId);
        long window = announcer.denyUntil(OffsetDateTime.now(ZoneOffset.UTC));
        if (id == null) {
            return Uni.createFrom().item(window);
        }
        return keys.findById(id).map(found -> {
            if (found.isEmpty()) {
                return window;
            }
            ApiKey key = found.get();
            if (key.status(Instant.now()).valid()) {
                return 0L;
            }
            return Math.max(window, announcer.denyUntil(KeyRequestRules.offset(key.end())));
        });
    }

    /**
     * Keys that stopped working since {@code epochSecond}, each with the epoch second until which tokens exchanged
     * from it are refused (its end plus the revocation window). Never further back than the window: tokens of
     * keys that ended before it have expired, so the answer stays small whatever a caller asks.
     */
    public Uni<Map<String, Long>> deniedSince(long epochSecond) {
        long earliest = Math.max(epochSecond, Instant.now().getEpochSecond() - windowSeconds);
        return keys.endedSince(OffsetDateTime.ofInstant(Instant.ofEpochSecond(earliest), ZoneOffset.UTC)).map(ended -> {
            Map<String, Long> out = new HashMap<>();
            ended.forEach(key -> out.put(key.id().toString(), announcer.denyUntil(key.endedAt())));
            return out;
        });
    }
}
