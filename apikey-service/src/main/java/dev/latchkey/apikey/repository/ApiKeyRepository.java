package dev.latchkey.apikey.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class ApiKeyRepository {

    private static final String COLUMNS = "id, tenant_id, name, start, scopes, created_at, expires_at, revoked_at";

    private final Pool pool;

    public ApiKeyRepository(Pool pool) {
        this.pool = pool;
    }

    public record StoredKey(UUID id, UUID tenantId, String name, String start, List<String> scopes,
            OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime revokedAt) {
    }

    public Uni<StoredKey> insert(UUID tenantId, String name, byte[] hash, String start, List<String> scopes,
            OffsetDateTime expiresAt) {
        return pool.preparedQuery("insert into apikey.api_keys (tenant_id, name, key_hash, start, scopes, expires_at)"
                + " values ($1, $2, $3, $4, $5, $6) returning " + COLUMNS)
                .execute(Tuple.tuple(Arrays.asList(tenantId, name, Buffer.buffer(hash), start,
                        scopes.toArray(String[]::new),
                        expiresAt == null ? null : expiresAt.withOffsetSameInstant(ZoneOffset.UTC))))
                .map(rows -> read(rows.iterator().next()));
    }

    public Uni<Optional<StoredKey>> findByHash(byte[] hash) {
        return pool.preparedQuery("select " + COLUMNS + " from apikey.api_keys where key_hash = $1")
                .execute(Tuple.of(Buffer.buffer(hash)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    private static StoredKey read(Row row) {
        return new StoredKey(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("name"), row.getString("start"),
                List.of(row.getArrayOfStrings("scopes")), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("expires_at"), row.getOffsetDateTime("revoked_at"));
    }
}
