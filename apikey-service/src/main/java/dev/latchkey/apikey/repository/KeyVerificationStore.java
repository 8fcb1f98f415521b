package dev.latchkey.apikey.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.apikey.domain.ApiKey;
import dev.latchkey.apikey.domain.ApiKey.Creator;
import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code apikey.api_keys} and {@code apikey.organization_settings} on the reactive PostgreSQL client, without
 * Hibernate: key verification is the hot path of every request that presents an API key (bench/README.md,
 * "apikey-service", rows 7-10: verify of a valid, an unknown and a malformed key against ping), and an ORM session
 * would add allocation per lookup and memory and start-up time to every replica for no gain. The lookup is one
 * prepared statement by hash ({@link #findByHashes}); the re-hash and the last-used flush serve it too.
 * <p>
 * The management statements (create, list, rename, revoke, the revocation announcements, an organization's key
 * prefix) stay beside them: they share the table, its columns and the row mapping. Reads and writes that belong to
 * a larger change take the transaction's {@link SqlClient}; the rest use the pool.
 */
@ApplicationScoped
public class KeyVerificationStore {

    static final String COLUMNS = "id, organization_id, name, prefix, start, last_four, capability, scope_type, scope_ids,"
            + " rate_limit_per_minute, rate_limit_burst, scopes, created_by_type, created_by_id, created_at, expires_at,"
            + " revoked_at, last_used_at, rotated_from, rotated_to, hash_scheme";

    private final Pool pool;
    /** Lookups by hash sent to PostgreSQL: tests prove with it that refused keys never get this far. */
    private final AtomicLong hashLookups = new AtomicLong();

    public KeyVerificationStore(Pool pool) {
        this.pool = pool;
    }

    /** A key to store: its settings, the keyed hash of its plaintext and the scheme of that hash. */
    public record NewRow(UUID organizationId, String name, String prefix, String start, String lastFour, byte[] hash,
            String hashScheme, Capability capability, ResourceScope resourceScope, RateLimit rateLimit,
            List<String> scopes, Creator createdBy, OffsetDateTime expiresAt, UUID rotatedFrom) {
        @Override
        public String toString() {
            return "NewRow[organization=" + organizationId + ", start=" + start + "]";
        }
    }

    /** A key found by one of its candidate hashes, with the hash and scheme it was stored under. */
    public record Found(ApiKey key, byte[] storedHash, String storedScheme) {
    }

    public Uni<ApiKey> insert(SqlClient client, NewRow row) {
        ResourceScope scope = row.resourceScope();
        RateLimit limit = row.rateLimit();
        List<Object> values = Arrays.asList(row.organizationId(), row.name(), Buffer.buffer(row.hash()), row.hashScheme(),
                row.prefix(), row.start(), row.lastFour(), row.capability().value(), scope.type().value(),
                scope.ids().stream().sorted().toArray(String[]::new),
                limit == null ? null : limit.perMinute(), limit == null ? null : limit.burst(),
                row.scopes().toArray(String[]::new),
                row.createdBy() == null ? null : row.createdBy().type().value(),
                row.createdBy() == null ? null : row.createdBy().id(), utc(row.expiresAt()), row.rotatedFrom());
        return client.preparedQuery("insert into apikey.api_keys (organization_id, name, key_hash, hash_scheme, prefix,"
                + " start, last_four, capability, scope_type, scope_ids, rate_limit_per_minute, rate_limit_burst, scopes,"
                + " created_by_type, created_by_id, expires_at, rotated_from)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
                + " returning " + COLUMNS)
                .execute(Tuple.from(values))
                .map(rows -> read(rows.iterator().next()));
    }

    /** The key stored under any of {@code hashes} (one indexed query). */
    public Uni<Optional<Found>> findByHashes(List<byte[]> hashes) {
        hashLookups.incrementAndGet();
        Buffer[] candidates = hashes.stream().map(Buffer::buffer).toArray(Buffer[]::new);
        return pool.preparedQuery("select " + COLUMNS + ", key_hash from apikey.api_keys where key_hash = any($1)")
                .execute(Tuple.of(candidates))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Found(read(row), row.getBuffer("key_hash").getBytes(),
                            row.getString("hash_scheme")));
                });
    }

    /** How many lookups by hash this instance has sent to PostgreSQL. */
    public long hashLookups() {
        return hashLookups.get();
    }

    /** Stores {@code key}'s hash under the current pepper, unless the row changed meanwhile. */
    public Uni<Void> rehash(UUID id, byte[] oldHash, byte[] newHash, String scheme) {
        return pool.preparedQuery("update apikey.api_keys set key_hash = $3, hash_scheme = $4 where id = $1 and key_hash = $2")
                .execute(Tuple.of(id, Buffer.buffer(oldHash), Buffer.buffer(newHash), scheme))
                .replaceWithVoid();
    }

    /** Key {@code id} of whichever organization (internal status checks only). */
    public Uni<Optional<ApiKey>> findById(UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from apikey.api_keys where id = $1")
                .execute(Tuple.of(id))
                .map(KeyVerificationStore::first);
    }

    public Uni<Optional<ApiKey>> find(UUID organizationId, UUID id) {
        return find(pool, organizationId, id, false);
    }

    /** The key {@code id} of {@code organizationId}; with {@code lock}, locked until the transaction ends. */
    public Uni<Optional<ApiKey>> find(SqlClient client, UUID organizationId, UUID id, boolean lock) {
        return client.preparedQuery("select " + COLUMNS + " from apikey.api_keys where id = $1 and organization_id = $2"
                + (lock ? " for update" : ""))
                .execute(Tuple.of(id, organizationId))
                .map(KeyVerificationStore::first);
    }

    /** Newest first; {@code after} continues a previous page. Revoked keys only when {@code includeRevoked}. */
    public Uni<List<ApiKey>> page(UUID organizationId, PageCursor after, int limit, boolean includeRevoked) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
                .append(" from apikey.api_keys where organization_id = $1");
        List<Object> values = new ArrayList<>();
        values.add(organizationId);
        if (after != null) {
            sql.append(" and (created_at, id) < ($2, $3)");
            values.add(after.createdAt());
            values.add(after.id());
        }
        if (!includeRevoked) {
            sql.append(" and (revoked_at is null or revoked_at > now())");
        }
        sql.append(" order by created_at desc, id desc limit ").append(limit);
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(values)).map(rows -> {
            List<ApiKey> out = new ArrayList<>(rows.size());
            rows.forEach(row -> out.add(read(row)));
            return out;
        });
    }

    public Uni<ApiKey> rename(SqlClient client, UUID id, String name) {
        return client.preparedQuery("update apikey.api_keys set name = $2 where id = $1 returning " + COLUMNS)
                .execute(Tuple.of(id, name))
                .map(rows -> read(rows.iterator().next()));
    }

    /**
     * Revokes key {@code id} at {@code at} (now, or the end of a rotation grace), to be announced on Redis;
     * {@code rotatedTo} records its successor.
     */
    public Uni<ApiKey> revoke(SqlClient client, UUID id, OffsetDateTime at, UUID rotatedTo) {
        return client.preparedQuery("update apikey.api_keys set revoked_at = $2, revocation_announced = false,"
                + " rotated_to = coalesce($3, rotated_to) where id = $1 returning " + COLUMNS)
                .execute(Tuple.of(id, utc(at), rotatedTo))
                .map(rows -> read(rows.iterator().next()));
    }

    /** Revokes every key of the organization that still works (or works until a rotation grace ends). */
    public Uni<List<ApiKey>> revokeAll(SqlClient client, UUID organizationId) {
        return client.preparedQuery("update apikey.api_keys set revoked_at = now(), revocation_announced = false"
                + " where organization_id = $1 and (revoked_at is null or revoked_at > now()) returning " + COLUMNS)
                .execute(Tuple.of(organizationId))
                .map(rows -> {
                    List<ApiKey> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(read(row)));
                    return out;
                });
    }

    /** A revocation that took effect and was not announced yet. */
    public record DueRevocation(UUID id, OffsetDateTime revokedAt) {
    }

    /**
     * Up to {@code limit} revocations that took effect and await their announcement, locked for this transaction
     * (other instances skip them).
     */
    public Uni<List<DueRevocation>> dueRevocations(SqlClient client, int limit) {
        return client.preparedQuery("select id, revoked_at from apikey.api_keys where not revocation_announced"
                + " and revoked_at <= now() order by revoked_at limit $1 for update skip locked")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<DueRevocation> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(new DueRevocation(row.getUUID("id"), row.getOffsetDateTime("revoked_at"))));
                    return out;
                });
    }

    public Uni<Void> markAnnounced(SqlClient client, List<UUID> ids) {
        return client.preparedQuery("update apikey.api_keys set revocation_announced = true where id = any($1)"
                + " and revoked_at <= now()")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .replaceWithVoid();
    }

    /** A key that stopped working, and when. */
    public record Ended(UUID id, OffsetDateTime endedAt) {
    }

    /**
     * Keys that stopped working between {@code since} and now: revoked (at once, or at the end of a rotation
     * grace) or expired, announced or not. The revocation resync of every instance reads this (two partial
     * indexes, V4), so that PostgreSQL, not Redis, is what a cache is rebuilt from.
     */
    public Uni<List<Ended>> endedSince(OffsetDateTime since) {
        return pool.preparedQuery("select id, least(coalesce(revoked_at, 'infinity'), coalesce(expires_at, 'infinity'))"
                + " as ended_at from apikey.api_keys where (revoked_at >= $1 and revoked_at <= now())"
                + " or (expires_at >= $1 and expires_at <= now())")
                .execute(Tuple.of(utc(since)))
                .map(rows -> {
                    List<Ended> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(new Ended(row.getUUID("id"), row.getOffsetDateTime("ended_at"))));
                    return out;
                });
    }

    /** Records uses (epoch seconds per key id); a time never moves back. */
    public Uni<Integer> recordLastUsed(List<UUID> ids, List<Long> epochSeconds) {
        return pool.preparedQuery("update apikey.api_keys k set last_used_at = to_timestamp(u.at)"
                + " from unnest($1::uuid[], $2::bigint[]) as u(id, at)"
                + " where k.id = u.id and (k.last_used_at is null or k.last_used_at < to_timestamp(u.at))")
                .execute(Tuple.of(ids.toArray(UUID[]::new), epochSeconds.toArray(Long[]::new)))
                .map(RowSet::rowCount);
    }

    /** The organization's own key prefix, if it chose one. */
    public Uni<Optional<String>> prefix(UUID organizationId) {
        return pool.preparedQuery("select prefix from apikey.organization_settings where organization_id = $1")
                .execute(Tuple.of(organizationId))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("prefix")));
    }

    public Uni<Void> setPrefix(SqlClient client, UUID organizationId, String prefix) {
        return client.preparedQuery("insert into apikey.organization_settings (organization_id, prefix) values ($1, $2)"
                + " on conflict (organization_id) do update set prefix = excluded.prefix, updated_at = now()")
                .execute(Tuple.of(organizationId, prefix))
                .replaceWithVoid();
    }

    private static Optional<ApiKey> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next()));
    }

    static ApiKey read(Row row) {
        ResourceScope.Type scopeType = ResourceScope.Type.parse(row.getString("scope_type"));
        ResourceScope scope = scopeType == null || scopeType == ResourceScope.Type.ORGANIZATION ? ResourceScope.ORGANIZATION
                : ResourceScope.of(scopeType, List.of(row.getArrayOfStrings("scope_ids")));
        Integer perMinute = row.getInteger("rate_limit_per_minute");
        Integer burst = row.getInteger("rate_limit_burst");
        RateLimit limit = perMinute == null ? null : new RateLimit(perMinute, burst == null ? perMinute : burst);
        Creator.Type creatorType = Creator.Type.parse(row.getString("created_by_type"));
        Creator creator = creatorType == null ? null : new Creator(creatorType, row.getString("created_by_id"));
        Capability capability = Capability.parse(row.getString("capability"));
        return new ApiKey(row.getUUID("id"), row.getUUID("organization_id"), row.getString("name"),
                row.getString("prefix"), row.getString("start"), row.getString("last_four"),
                capability == null ? Capability.READ : capability, scope, limit, List.of(row.getArrayOfStrings("scopes")),
                creator, row.getOffsetDateTime("created_at"), row.getOffsetDateTime("expires_at"),
                row.getOffsetDateTime("revoked_at"), row.getOffsetDateTime("last_used_at"), row.getUUID("rotated_from"),
                row.getUUID("rotated_to"), row.getString("hash_scheme"));
    }

    static OffsetDateTime utc(OffsetDateTime value) {
        return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
