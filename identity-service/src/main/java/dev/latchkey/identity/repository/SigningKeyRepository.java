package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Rows of {@code identity.signing_keys}; private keys arrive and leave encrypted. Plain reactive SQL: keys are
 * read at start-up and by a timer, under an advisory lock, outside any request.
 */
@ApplicationScoped
public class SigningKeyRepository {

    private final Pool pool;

    public SigningKeyRepository(Pool pool) {
        this.pool = pool;
    }

    public record StoredKey(String kid, String algorithm, String status, int priority, byte[] publicKey,
            byte[] privateKeyEncrypted, OffsetDateTime createdAt, OffsetDateTime activatesAt, OffsetDateTime retiresAt) {
        @Override
        public String toString() {
            return "StoredKey[kid=" + kid + ", status=" + status + "]";
        }
    }

    /**
     * Runs {@code work} in a transaction holding an advisory lock, so that instances starting or rotating
     * together never both create a key.
     */
    public <T> Uni<T> withKeyLock(Function<SqlClient, Uni<T>> work) {
        return pool.withTransaction(tx -> tx.query("select pg_advisory_xact_lock(hashtext('identity.signing_keys'))")
                .execute()
                .flatMap(ignored -> work.apply(tx)));
    }

    /** Every key that is not retired: published in the JWKS. */
    public Uni<List<StoredKey>> findPublished(SqlClient client) {
        return client.query("""
                select kid, algorithm, status, priority, public_key, private_key_enc, created_at, activates_at, retires_at
                from identity.signing_keys where status <> 'RETIRED'
                order by activates_at desc, kid""")
                .execute()
                .map(rows -> {
                    List<StoredKey> keys = new ArrayList<>();
                    for (Row row : rows) {
                        keys.add(new StoredKey(row.getString("kid"), row.getString("algorithm"), row.getString("status"),
                                row.getInteger("priority"), row.getBuffer("public_key").getBytes(),
                                row.getBuffer("private_key_enc").getBytes(), row.getOffsetDateTime("created_at"),
                                row.getOffsetDateTime("activates_at"), row.getOffsetDateTime("retires_at")));
                    }
                    return keys;
                });
    }

    public Uni<Void> insert(SqlClient client, StoredKey key) {
        return client.preparedQuery("""
                insert into identity.signing_keys
                    (kid, algorithm, status, priority, public_key, private_key_enc, created_at, activates_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.tuple(Arrays.asList(key.kid(), key.algorithm(), key.status(), key.priority(),
                        Buffer.buffer(key.publicKey()), Buffer.buffer(key.privateKeyEncrypted()),
                        key.createdAt().withOffsetSameInstant(ZoneOffset.UTC),
                        key.activatesAt().withOffsetSameInstant(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    public Uni<Void> update(SqlClient client, String kid, String status, OffsetDateTime retiresAt) {
        return client.preparedQuery("update identity.signing_keys set status = $2, retires_at = $3 where kid = $1")
                .execute(Tuple.of(kid, status, retiresAt == null ? null : retiresAt.withOffsetSameInstant(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
