package dev.latchkey.apikey.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.apikey.repository.ApiKeyRepository;
import dev.latchkey.apikey.repository.ApiKeyRepository.StoredKey;
import dev.latchkey.apikey.secret.ApiKeySecrets;
import dev.latchkey.apikey.secret.ApiKeySecrets.NewKey;
import dev.latchkey.apikey.secret.KeyVerdict;
import dev.latchkey.apikey.secret.VerificationStatus;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.error.ApiException;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ApiKeyService {

    private static final Pattern SCOPE = Pattern.compile("[a-z0-9_.:*-]{1,64}");
    private static final int MAX_SCOPES = 50;

    private final ApiKeyRepository repository;

    public ApiKeyService(ApiKeyRepository repository) {
        this.repository = repository;
    }

    /** A created key: the stored row plus the plaintext, which is returned this once and never again. */
    public record Created(StoredKey stored, String plaintext) {
        @Override
        public String toString() {
            return "Created[id=" + stored.id() + "]";
        }
    }

    public record Verification(VerificationStatus status, StoredKey key) {
    }

    public Uni<Created> create(UUID tenantId, String name, List<String> scopes, OffsetDateTime expiresAt) {
        List<String> checked = checkScopes(scopes);
        if (expiresAt != null && !expiresAt.toInstant().isAfter(Instant.now())) {
            throw ApiException.validation("'expires_at' must be in the future");
        }
        NewKey key = ApiKeySecrets.generate();
        return repository.insert(tenantId, name, key.hash(), key.start(), checked, expiresAt)
                .map(stored -> new Created(stored, key.plaintext()));
    }

    public Uni<Verification> verify(String key) {
        if (!ApiKeySecrets.wellFormed(key)) {
            return Uni.createFrom().item(new Verification(VerificationStatus.NOT_FOUND, null));
        }
        return repository.findByHash(ApiKeySecrets.hash(key)).map(found -> {
            StoredKey stored = found.orElse(null);
            VerificationStatus status = stored == null ? VerificationStatus.NOT_FOUND
                    : KeyVerdict.of(true, instant(stored.revokedAt()), instant(stored.expiresAt()), Instant.now());
            return new Verification(status, stored);
        });
    }

    private static List<String> checkScopes(List<String> scopes) {
        if (scopes == null) {
            return List.of();
        }
        if (scopes.size() > MAX_SCOPES) {
            throw ApiException.validation("A key may carry at most " + MAX_SCOPES + " scopes");
        }
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw ApiException.validation("Scopes are 1-64 characters of a-z 0-9 _ . : * -");
            }
            if (scope.startsWith(Scopes.INTERNAL_PREFIX)) {
                throw ApiException.validation("Scopes starting with '" + Scopes.INTERNAL_PREFIX
                        + "' are reserved for Latchkey services");
            }
        }
        return scopes.stream().distinct().toList();
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
