package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;

/** Rows of {@code identity.signing_keys}; private keys arrive and leave encrypted. */
@ApplicationScoped
public class SigningKeyRepository {

    private final Pool pool;

    public SigningKeyRepository(Pool pool) {
        this.pool = pool;
    }

    public record StoredKey(String kid, String algorithm, String status, int priority, byte[] publicKey,
            byte[] privateKeyEncrypted, OffsetDateTime createdAt) {
    }

    public Uni<List<StoredKey>> findEnabled() {
        return findEnabled(pool);
    }

    /**
     * Runs {@code work} in a transaction holding an advisory lock, so that two instances starting together do
     * not both create a first key.
     */
    public <T> Uni<T> withKeyLock(java.util.function.Function<SqlClient, Uni<T>> work) {
        return pool.withTransaction(tx -> tx.query("select pg_advisory_xact_lock(hashtext('identity.signing_keys'))")
                .execute()
                .flatMap(ignored -> work.apply(tx)));
    }

    public Uni<List<StoredKey>> findEnabled(SqlClient client) {
        return client.query("""
                select kid, algorithm, status, priority, public_key, private_key_enc, created_at
                from identity.signing_keys where status <> 'DISABLED'
                order by priority desc, created_at desc""")
                .execute()
                .map(rows -> {
                    List<StoredKey> keys = new ArrayList<>();
                    for (Row row : rows) {
                        keys.add(new StoredKey(row.getString("kid"), row.getString("algorithm"), row.getString("status"),
                                row.getInteger("priority"), row.getBuffer("public_key").getBytes(),
                                row.getBuffer("private_key_enc").getBytes(), row.getOffsetDateTime("created_at")));
                    }
                    return keys;
                });
    }

    public Uni<Void> insert(SqlClient client, StoredKey key) {
        return client.preparedQuery("""
                insert into identity.signing_keys (kid, algorithm, status, priority, public_key, private_key_enc, created_at)
                values ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.from(List.of(key.kid(), key.algorithm(), key.status(), key.priority(),
                        Buffer.buffer(key.publicKey()), Buffer.buffer(key.privateKeyEncrypted()),
                        key.createdAt().withOffsetSameInstant(ZoneOffset.UTC))))
                .replaceWithVoid();
    }
}
