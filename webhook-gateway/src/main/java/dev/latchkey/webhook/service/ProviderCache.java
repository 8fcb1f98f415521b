package dev.latchkey.webhook.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.latchkey.webhook.config.WebhookConfig;
import dev.latchkey.webhook.domain.Provider;
import dev.latchkey.webhook.domain.ProviderSecret;
import dev.latchkey.webhook.repository.Notifications;
import dev.latchkey.webhook.repository.IngestionProviders;
import dev.latchkey.webhook.signature.SigningSecrets;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Providers as ingestion needs them: looked up by (organization, name) with their secrets already decrypted to
 * HMAC keys, so that a delivery costs no database read and no AES. Entries live {@code provider-cache-ttl} and
 * are dropped at once on every replica when a provider changes (PostgreSQL NOTIFY), and all of them after the
 * notification connection was re-established. Unknown names are remembered too, briefly, so that a flood of
 * deliveries to a wrong URL does not become a flood of queries.
 */
@Singleton
public class ProviderCache {

    /** A provider ready to verify deliveries; {@code keys} are the HMAC keys of all its secrets. */
    public record Active(Provider provider, List<Key> keys) {
        public List<byte[]> keysAt(OffsetDateTime now) {
            List<byte[]> out = new ArrayList<>(keys.size());
            for (Key key : keys) {
                if (key.expiresAt() == null || key.expiresAt().isAfter(now)) {
                    out.add(key.hmacKey());
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "Active[" + provider.id() + "]";
        }
    }

    public record Key(byte[] hmacKey, OffsetDateTime expiresAt) {
        @Override
        public String toString() {
            return "Key[expiresAt=" + expiresAt + "]";
        }
    }

    private static final Optional<Active> UNKNOWN = Optional.empty();

    private final IngestionProviders repository;
    private final SecretSealer sealer;
    private final Cache<String, Optional<Active>> cache;

    public ProviderCache(IngestionProviders repository, SecretSealer sealer, WebhookConfig config,
            Notifications notifications) {
        this.repository = repository;
        this.sealer = sealer;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.providerCacheTtl()).build();
        notifications.onProviderChange(this::invalidate);
        notifications.onCatchUp(cache::invalidateAll);
    }

    static String key(UUID organizationId, String name) {
        return organizationId + "/" + name;
    }

    /** The provider, from memory when possible. */
    public Uni<Optional<Active>> get(UUID organizationId, String name) {
        String key = key(organizationId, name);
        Optional<Active> known = cache.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return repository.findByName(organizationId, name).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(UNKNOWN);
            }
            Provider provider = found.get();
            return repository.secrets(List.of(provider.id())).map(secrets -> Optional.of(activate(provider, secrets)));
        }).invoke(loaded -> cache.put(key, loaded));
    }

    private Active activate(Provider provider, List<ProviderSecret> secrets) {
        List<Key> keys = new ArrayList<>(secrets.size());
        for (ProviderSecret secret : secrets) {
            try {
                keys.add(new Key(SigningSecrets.hmacKey(provider.scheme(), sealer.open(secret)), secret.expiresAt()));
            } catch (RuntimeException e) {
                // A secret that does not open (another KEK, altered row) matches nothing; say so without the secret.
                Log.errorf("secret %s of webhook provider %s cannot be opened: %s", secret.id(), provider.id(),
                        e.getMessage());
            }
        }
        return new Active(provider, List.copyOf(keys));
    }

    public void invalidate(String organizationSlashName) {
        cache.invalidate(organizationSlashName);
    }

    public void invalidate(UUID organizationId, String name) {
        cache.invalidate(key(organizationId, name));
    }
}
