package dev.latchkey.tenant.rest;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Organizations, people and tokens for one test, each made fresh so that tests never depend on each other or on
 * order. People are put into organizations directly in the database (as identity's onboarding and invitations
 * would); everything under test goes through HTTP.
 */
final class Fixtures {

    private final Pool pool;

    Fixtures(Pool pool) {
        this.pool = pool;
    }

    /** A person: a user id and an address of their own. */
    record Person(String id, String email) {
        static Person fresh() {
            String id = UUID.randomUUID().toString();
            return new Person(id, "p-" + id.substring(0, 8) + "@example.test");
        }
    }

    /** A team organization with nobody in it; its id. */
    String organization(String name) {
        String id = UUID.randomUUID().toString();
        pool.preparedQuery("insert into tenant.organizations (id, name, slug) values ($1, $2, $3)")
                .execute(Tuple.of(UUID.fromString(id), name, "t-" + id.replace("-", "").substring(0, 20)))
                .await().indefinitely();
        return id;
    }

    /** A fresh person who is a member of {@code organizationId} with {@code role}. */
    Person member(String organizationId, String role) {
        Person person = Person.fresh();
        join(person, organizationId, role);
        return person;
    }

    void join(Person person, String organizationId, String role) {
        pool.preparedQuery("insert into tenant.users (user_id, email, email_verified, name) values ($1, $2, true, $3)"
                + " on conflict (user_id) do nothing")
                .execute(Tuple.of(UUID.fromString(person.id()), person.email(), "Name " + person.id().substring(0, 4)))
                .await().indefinitely();
        pool.preparedQuery("insert into tenant.memberships (organization_id, user_id, role) values ($1, $2, $3)")
                .execute(Tuple.of(UUID.fromString(organizationId), UUID.fromString(person.id()), role))
                .await().indefinitely();
    }

    /** The person's role in the organization, or null. */
    String role(String organizationId, String userId) {
        var rows = pool.preparedQuery("select role from tenant.memberships where organization_id = $1 and user_id = $2")
                .execute(Tuple.of(UUID.fromString(organizationId), UUID.fromString(userId))).await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }

    long owners(String organizationId) {
        return pool.preparedQuery("select count(*) from tenant.memberships where organization_id = $1 and role = 'owner'")
                .execute(Tuple.of(UUID.fromString(organizationId))).await().indefinitely().iterator().next().getLong(0);
    }

    List<Row> rows(String sql, Object... arguments) {
        List<Row> out = new java.util.ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(arguments)).await().indefinitely().forEach(out::add);
        return out;
    }

    /** A person's access token acting in {@code organizationId} with {@code role}, e-mail verified. */
    static String user(Person person, String organizationId, String role) {
        return TestTokens.access(organizationId).user(person.id(), UUID.randomUUID().toString()).roles(role)
                .claim("email", person.email()).claim("email_verified", true).sign();
    }

    /** A token exchanged from an organization-wide API key of {@code capability} (read or read_write). */
    static String key(String organizationId, String capability) {
        return TestTokens.access(organizationId).claim("key_id", UUID.randomUUID().toString())
                .claim("capability", capability).sign();
    }

    /** A token exchanged from a read_write API key limited to project p1. */
    static String projectKey(String organizationId) {
        return TestTokens.access(organizationId).claim("key_id", UUID.randomUUID().toString())
                .claim("capability", "read_write")
                .claim("resource_scope", Map.of("type", "project", "ids", List.of("p1"))).sign();
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }
}
