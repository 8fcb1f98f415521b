package dev.latchkey.apikey.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code apikey.organization_settings}: an organization's own key prefix. */
@ApplicationScoped
public class SettingsRepository {

    private final Pool pool;

    public SettingsRepository(Pool pool) {
        this.pool = pool;
    }

    /** The organization's own prefix, if it chose one. */
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
}
