package dev.latchkey.tenant.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.tenant.domain.OrganizationRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedQuery;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The hot read, {@code GET /v1/organizations/{id}}, on the reactive client without Hibernate: one prepared
 * statement on a pooled connection, no session, no persistence context, no transaction. bench/README.md row 3
 * ({@code GET /v1/organizations/{id}}) measures it against row 1 ({@code /v1/ping}); tenant-service's README has
 * the figures that decided it. Every other tenant table goes through Panache repositories.
 */
@ApplicationScoped
public class OrganizationLookup {

    private static final String SELECT = "select id, name, slug, personal_owner, created_at from tenant.organizations"
            + " where id = $1 and deleted_at is null";

    private final PreparedQuery<RowSet<Row>> select;

    public OrganizationLookup(Pool pool) {
        this.select = pool.preparedQuery(SELECT);
    }

    public Uni<Optional<OrganizationRow>> findLive(UUID id) {
        return select.execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new OrganizationRow(row.getUUID("id"), row.getString("name"), row.getString("slug"),
                    row.getUUID("personal_owner") != null, row.getOffsetDateTime("created_at").toInstant()));
        });
    }
}
