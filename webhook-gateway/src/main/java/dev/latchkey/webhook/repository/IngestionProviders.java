package dev.latchkey.webhook.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.webhook.domain.Provider;
import dev.latchkey.webhook.domain.ProviderSecret;
import dev.latchkey.webhook.signature.HeaderNames;
import dev.latchkey.webhook.signature.Scheme;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Providers and their sealed secrets, as the ingestion path reads them: {@code ProviderCache} loads a provider and
 * its secrets on a miss or a change notification, outside any request's session, for the delivery being verified
 * (bench/README.md, "webhook-gateway", the signed-delivery row). Plain reactive SQL rather than Hibernate Reactive:
 * the rest of the service (batched inbox writes, LISTEN/NOTIFY) needs the reactive client anyway, and Hibernate
 * would cost memory and start-up time on every replica. The management statements (create, rotate, delete) stay
 * beside them; writes take the transaction's connection ({@link SqlClient}) from the service.
 */
@ApplicationScoped
public class IngestionProviders {

    private static final String COLUMNS = "id, organization_id, name, scheme, require_api_key, signature_header, "
            + "timestamp_header, nonce_header, created_at";

    private final Pool pool;

    public IngestionProviders(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Inserts the provider; false when the organization already has one of that name. */
    public Uni<Boolean> insert(SqlClient tx, Provider provider) {
        HeaderNames names = provider.headerNames();
        return tx.preparedQuery("insert into webhook.providers (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                + " on conflict (organization_id, name) do nothing")
                .execute(Tuple.from(new Object[] { provider.id(), provider.organizationId(), provider.name(),
                        provider.scheme().wireName(), provider.requireApiKey(), names == null ? null : names.signature(),
                        names == null ? null : names.timestamp(), names == null ? null : names.nonce(),
                        provider.createdAt() }))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> insertSecret(SqlClient tx, ProviderSecret secret) {
        return tx.preparedQuery("insert into webhook.provider_secrets (id, provider_id, sealed, created_at, expires_at) "
                + "values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(secret.id(), secret.providerId(), io.vertx.core.buffer.Buffer.buffer(secret.sealed()),
                        secret.createdAt(), secret.expiresAt()))
                .replaceWithVoid();
    }

    /** Makes every secret of the provider that would outlive {@code at} expire at {@code at}. */
    public Uni<Void> expireSecrets(SqlClient tx, UUID providerId, OffsetDateTime at) {
        return tx.preparedQuery("update webhook.provider_secrets set expires_at = $2 "
                + "where provider_id = $1 and (expires_at is null or expires_at > $2)")
                .execute(Tuple.of(providerId, at))
                .replaceWithVoid();
    }

    /** Forgets secrets that expired before {@code before}: they can never match again. */
    public Uni<Void> deleteExpiredSecrets(SqlClient tx, UUID providerId, OffsetDateTime before) {
        return tx.preparedQuery("delete from webhook.provider_secrets where provider_id = $1 and expires_at < $2")
                .execute(Tuple.of(providerId, before))
                .replaceWithVoid();
    }

    public Uni<Optional<Provider>> find(UUID organizationId, UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook.providers where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    /** Locks the provider's row for the rest of the transaction (rotations of one provider run one at a time). */
    public Uni<Optional<Provider>> lock(SqlClient tx, UUID organizationId, UUID id) {
        return tx.preparedQuery("select " + COLUMNS + " from webhook.providers where organization_id = $1 and id = $2 for update")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<Optional<Provider>> findByName(UUID organizationId, String name) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook.providers where organization_id = $1 and name = $2")
                .execute(Tuple.of(organizationId, name))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<List<Provider>> list(UUID organizationId) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook.providers where organization_id = $1 order by name")
                .execute(Tuple.of(organizationId))
                .map(rows -> {
                    List<Provider> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(read(row)));
                    return out;
                });
    }

    public Uni<Boolean> delete(SqlClient tx, UUID organizationId, UUID id) {
        return tx.preparedQuery("delete from webhook.providers where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Tells every replica (through PostgreSQL) that the provider changed, so that their caches drop it. */
    public Uni<Void> announceChange(Provider provider) {
        return pool.preparedQuery("select pg_notify('" + Notifications.PROVIDERS_CHANNEL + "', $1)")
                .execute(Tuple.of(provider.organizationId() + "/" + provider.name()))
                .replaceWithVoid();
    }

    /** Secrets of the given providers, oldest first. */
    public Uni<List<ProviderSecret>> secrets(List<UUID> providerIds) {
        if (providerIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("select id, provider_id, sealed, created_at, expires_at from webhook.provider_secrets "
                + "where provider_id = any($1) order by created_at, id")
                .execute(Tuple.of(providerIds.toArray(new UUID[0])))
                .map(rows -> {
                    List<ProviderSecret> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(new ProviderSecret(row.getUUID("id"), row.getUUID("provider_id"),
                            row.getBuffer("sealed").getBytes(), row.getOffsetDateTime("created_at"),
                            row.getOffsetDateTime("expires_at"))));
                    return out;
                });
    }

    private static Provider read(Row row) {
        Scheme scheme = Scheme.parse(row.getString("scheme"));
        HeaderNames names = scheme == Scheme.GENERIC ? HeaderNames.of(row.getString("signature_header"),
                row.getString("timestamp_header"), row.getString("nonce_header")) : null;
        return new Provider(row.getUUID("id"), row.getUUID("organization_id"), row.getString("name"), scheme,
                row.getBoolean("require_api_key"), names, row.getOffsetDateTime("created_at"));
    }
}
