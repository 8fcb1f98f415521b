package dev.latchkey.identity.service;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.keys.Jwks;
import dev.latchkey.identity.keys.KeyEncryption;
import dev.latchkey.identity.keys.KeyStatus;
import dev.latchkey.identity.keys.SigningKey;
import dev.latchkey.identity.keys.SigningKeys;
import dev.latchkey.identity.repository.SigningKeyRepository;
import dev.latchkey.identity.repository.SigningKeyRepository.StoredKey;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Holds the signing keys in memory. At start-up it loads every enabled key and, if none is ACTIVE (first
 * start), creates one; a restart therefore keeps the same key and earlier tokens keep verifying.
 */
@ApplicationScoped
public class SigningKeyService {

    private static final int DEFAULT_PRIORITY = 100;

    private final SigningKeyRepository repository;
    private final KeyEncryption encryption;

    private volatile Snapshot snapshot;

    public SigningKeyService(SigningKeyRepository repository, IdentityConfig config) {
        this.repository = repository;
        this.encryption = KeyEncryption.fromBase64(config.kek());
        if (LaunchMode.current().isDevOrTest()) {
            Log.warn("*** identity-service runs in " + LaunchMode.current().getProfileKey()
                    + " mode: unless LATCHKEY_IDENTITY_KEK is set, signing keys are encrypted under the"
                    + " development key-encryption key from application.properties. Never use it in production. ***");
        }
    }

    void onStart(@Observes StartupEvent event) {
        reload().await().indefinitely();
        Log.infof("signing with key %s; %d key(s) published", snapshot.active().kid(), snapshot.keys().size());
    }

    /** The key that signs: the ACTIVE key with the highest priority, newest first on a tie. */
    public SigningKey activeKey() {
        return snapshot.active();
    }

    public String jwksJson() {
        return snapshot.jwksJson();
    }

    /** Reads the keys, as every start-up does, creating the first one if there is none. */
    public Uni<Void> reload() {
        return repository.withKeyLock(tx -> repository.findEnabled(tx).flatMap(stored -> {
            if (stored.stream().anyMatch(k -> KeyStatus.ACTIVE.name().equals(k.status()))) {
                return Uni.createFrom().item(stored);
            }
            SigningKey fresh = SigningKeys.generateEs256(DEFAULT_PRIORITY, Instant.now());
            Log.infof("no active signing key: created %s (%s)", fresh.kid(), fresh.algorithm());
            StoredKey row = new StoredKey(fresh.kid(), fresh.algorithm(), fresh.status().name(), fresh.priority(),
                    fresh.publicKey().getEncoded(), encryption.encrypt(fresh.privateKey().getEncoded(), fresh.kid()),
                    fresh.createdAt().atOffset(ZoneOffset.UTC));
            return repository.insert(tx, row).flatMap(ignored -> repository.findEnabled(tx));
        })).map(stored -> {
            List<SigningKey> keys = stored.stream().map(this::decrypt).toList();
            SigningKey active = keys.stream().filter(k -> k.status() == KeyStatus.ACTIVE).findFirst().orElseThrow();
            snapshot = new Snapshot(keys, active, Jwks.publicJson(keys));
            return null;
        });
    }

    private SigningKey decrypt(StoredKey row) {
        try {
            return new SigningKey(row.kid(), row.algorithm(), KeyStatus.valueOf(row.status()), row.priority(),
                    SigningKeys.publicKey(row.algorithm(), row.publicKey()),
                    SigningKeys.privateKey(row.algorithm(), encryption.decrypt(row.privateKeyEncrypted(), row.kid())),
                    row.createdAt().toInstant());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Stored key " + row.kid() + " cannot be read", e);
        }
    }

    private record Snapshot(List<SigningKey> keys, SigningKey active, String jwksJson) {
    }
}
