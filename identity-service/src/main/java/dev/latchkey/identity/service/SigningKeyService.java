package dev.latchkey.identity.service;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.keys.Jwks;
import dev.latchkey.identity.keys.KeyEncryption;
import dev.latchkey.identity.keys.KeyRing;
import dev.latchkey.identity.keys.KeyStatus;
import dev.latchkey.identity.keys.SigningKey;
import dev.latchkey.identity.keys.SigningKeys;
import dev.latchkey.identity.repository.SigningKeyRepository;
import dev.latchkey.identity.repository.SigningKeyRepository.StoredKey;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Holds the signing keys in memory and rotates them ({@link KeyRing} has the rules). Every instance rereads the
 * keys at start-up and every {@code key-rotation.reload-interval} under an advisory lock, applying due status
 * changes and creating the next key when one is due; since which key signs follows from the stored activation
 * times, instances sharing a database agree on it without restarts. A start with a KEK that cannot open the
 * stored keys fails, rather than making a new key and invalidating every token.
 */
@ApplicationScoped
public class SigningKeyService {

    private static final int DEFAULT_PRIORITY = 100;
    private static final Duration SKEW = Duration.ofMinutes(1);

    private final SigningKeyRepository repository;
    private final KeyEncryption encryption;
    private final IdentityConfig config;
    private final Vertx vertx;
    private final Duration maxTokenTtl;

    private volatile Snapshot snapshot;
    private long timer = -1;

    /** A key the ring has, with when it signs. */
    private record Held(SigningKey key, Instant activatesAt) {
    }

    private record Snapshot(List<Held> keys, String jwksJson) {
    }

    /** The outcome of a forced rotation. */
    public record Rotation(String kid, Instant activatesAt, boolean created) {
    }

    public SigningKeyService(SigningKeyRepository repository, IdentityConfig config, Vertx vertx) {
        this.repository = repository;
        this.encryption = KeyEncryption.fromBase64(config.kek());
        this.config = config;
        this.vertx = vertx;
        Duration longest = config.accessTokenTtl().compareTo(config.serviceTokenTtl()) > 0 ? config.accessTokenTtl()
                : config.serviceTokenTtl();
        this.maxTokenTtl = longest.plus(SKEW);
        if (LaunchMode.current().isDevOrTest()) {
            Log.warn("*** identity-service runs in " + LaunchMode.current().getProfileKey()
                    + " mode: unless LATCHKEY_IDENTITY_KEK is set, signing keys are encrypted under the"
                    + " development key-encryption key from application.properties. Never use it in production. ***");
        }
    }

    void onStart(@Observes StartupEvent event) {
        maintain().await().indefinitely();
        Log.infof("signing with key %s; %d key(s) published", activeKey().kid(), snapshot.keys().size());
        long every = Math.max(1000, config.keyRotation().reloadInterval().toMillis());
        timer = vertx.setPeriodic(every, id -> maintain().subscribe().with(ignored -> { },
                e -> Log.warnf("signing keys not reloaded this round: %s", e.toString())));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The key that signs now: the newest key whose activation time has passed. */
    public SigningKey activeKey() {
        Instant now = Instant.now();
        for (Held held : snapshot.keys()) {
            if (!held.activatesAt().isAfter(now)) {
                SigningKey key = held.key();
                return key.status() == KeyStatus.ACTIVE ? key : new SigningKey(key.kid(), key.algorithm(),
                        KeyStatus.ACTIVE, key.priority(), key.publicKey(), key.privateKey(), key.createdAt());
            }
        }
        throw new IllegalStateException("no signing key has activated yet");
    }

    public String jwksJson() {
        return snapshot.jwksJson();
    }

    /** Applies due rotation steps and reloads the keys. */
    public Uni<Void> maintain() {
        return repository.withKeyLock(tx -> repository.findPublished(tx).flatMap(stored -> {
            Instant now = Instant.now();
            List<KeyRing.Entry> entries = stored.stream().map(SigningKeyService::entry).toList();
            KeyRing.Plan plan = KeyRing.plan(entries, now, config.keyRotation().interval(),
                    config.keyRotation().publishLead(), maxTokenTtl);
            Uni<Void> steps = Uni.createFrom().voidItem();
            for (KeyRing.Entry change : plan.changes()) {
                Log.infof("signing key %s: %s", change.kid(), change.status());
                steps = steps.flatMap(x -> repository.update(tx, change.kid(), change.status().name(),
                        change.retiresAt() == null ? null : change.retiresAt().atOffset(ZoneOffset.UTC)));
            }
            if (plan.createActivatingAt().isPresent()) {
                steps = steps.flatMap(x -> create(tx, plan.createActivatingAt().get(), now).replaceWithVoid());
            }
            return steps.flatMap(x -> repository.findPublished(tx));
        })).map(stored -> {
            List<Held> keys = stored.stream().map(row -> new Held(decrypt(row), row.activatesAt().toInstant())).toList();
            snapshot = new Snapshot(keys, Jwks.publicJson(keys.stream().map(Held::key).toList()));
            return null;
        });
    }

    /**
     * Rotates now: creates the next key, published at once, signing after the publish lead (or at once with
     * {@code immediate}, for a key believed compromised). Without {@code immediate}, a key already waiting to
     * activate is returned instead of a second one.
     */
    public Uni<Rotation> rotate(boolean immediate) {
        return repository.withKeyLock(tx -> repository.findPublished(tx).flatMap(stored -> {
            Instant now = Instant.now();
            Optional<StoredKey> waiting = stored.stream().filter(k -> k.activatesAt().toInstant().isAfter(now)).findFirst();
            if (waiting.isPresent() && !immediate) {
                return Uni.createFrom().item(new Rotation(waiting.get().kid(), waiting.get().activatesAt().toInstant(),
                        false));
            }
            Instant activates = immediate ? now : now.plus(config.keyRotation().publishLead());
            return create(tx, activates, now).map(kid -> new Rotation(kid, activates, true));
        })).call(rotation -> maintain());
    }

    private Uni<String> create(io.vertx.mutiny.sqlclient.SqlClient tx, Instant activatesAt, Instant now) {
        SigningKey fresh = SigningKeys.generateEs256(DEFAULT_PRIORITY, now);
        KeyStatus status = activatesAt.isAfter(now) ? KeyStatus.PASSIVE : KeyStatus.ACTIVE;
        Log.infof("created signing key %s (%s), signing from %s", fresh.kid(), fresh.algorithm(), activatesAt);
        StoredKey row = new StoredKey(fresh.kid(), fresh.algorithm(), status.name(), fresh.priority(),
                fresh.publicKey().getEncoded(), encryption.encrypt(fresh.privateKey().getEncoded(), fresh.kid()),
                now.atOffset(ZoneOffset.UTC), activatesAt.atOffset(ZoneOffset.UTC), null);
        return repository.insert(tx, row).replaceWith(fresh.kid());
    }

    private static KeyRing.Entry entry(StoredKey row) {
        return new KeyRing.Entry(row.kid(), KeyStatus.valueOf(row.status()), row.activatesAt().toInstant(),
                row.retiresAt() == null ? null : row.retiresAt().toInstant());
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

}
