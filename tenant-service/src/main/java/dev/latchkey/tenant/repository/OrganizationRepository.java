package dev.latchkey.tenant.repository;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class OrganizationRepository {

    private final Pool pool;

    public OrganizationRepository(Pool pool) {
        this.pool = pool;
    }

    public record Organization(UUID id, String name, OffsetDateTime createdAt) {
    }

    public Uni<Organization> insert(String name) {
        return pool.preparedQuery("insert into tenant.organizations (name) values ($1) returning id, name, created_at")
                .execute(Tuple.of(name))
                .map(rows -> read(rows.iterator().next()));
    }

    public Uni<Optional<Organization>> findById(UUID id) {
        return pool.preparedQuery("select id, name, created_at from tenant.organizations where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<Void> delete(UUID id) {
        return pool.preparedQuery("delete from tenant.organizations where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    private static Organization read(Row row) {
        return new Organization(row.getUUID("id"), row.getString("name"), row.getOffsetDateTime("created_at"));
    }
}
