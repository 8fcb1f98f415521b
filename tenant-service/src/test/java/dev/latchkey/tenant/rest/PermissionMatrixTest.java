package dev.latchkey.tenant.rest;

import static dev.latchkey.tenant.rest.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.Permissions;
import dev.latchkey.common.rbac.Permissions.Decision;
import dev.latchkey.common.rbac.ResourceScope;
import dev.latchkey.common.rbac.Role;
import dev.latchkey.tenant.rest.Fixtures.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The permission table, over real HTTP: for every caller (each role, each kind of API key) and every action that
 * tenant-service serves, the answer is what {@link Permissions#decide} says, generated from {@link Action}, so
 * the table in the README (which a test compares with {@link Permissions#markdownTable()}), the code and the
 * behaviour cannot drift apart.
 */
@QuarkusTest
class PermissionMatrixTest {

    /** Actions other services serve; each is covered by that service's own tests. */
    static final Set<Action> ELSEWHERE = EnumSet.of(Action.API_KEYS_READ, Action.API_KEYS_CREATE,
            Action.API_KEYS_MANAGE, Action.WEBHOOK_PROVIDERS_READ, Action.WEBHOOK_PROVIDERS_MANAGE,
            Action.WEBHOOK_EVENTS_READ, Action.WEBHOOK_EVENTS_ACK);

    enum CallerKind {
        OWNER(Role.OWNER, null, null),
        ADMIN(Role.ADMIN, null, null),
        MEMBER(Role.MEMBER, null, null),
        READ_WRITE_KEY(null, Capability.READ_WRITE, ResourceScope.ORGANIZATION),
        READ_KEY(null, Capability.READ, ResourceScope.ORGANIZATION),
        PROJECT_KEY(null, Capability.READ_WRITE, new ResourceScope(ResourceScope.Type.PROJECT, Set.of("p1")));

        final Role role;
        final Capability capability;
        final ResourceScope scope;

        CallerKind(Role role, Capability capability, ResourceScope scope) {
            this.role = role;
            this.capability = capability;
            this.scope = scope;
        }

        Decision expected(Action action) {
            return Permissions.decide(role == null ? Set.of() : Set.of(role), capability, scope, action);
        }
    }

    @Inject
    Pool pool;

    Fixtures fixtures;

    @BeforeEach
    void services() {
        FakeServices.healthy();
        SmtpServer.up();
        fixtures = new Fixtures(pool);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Action action : Action.values()) {
            if (!ELSEWHERE.contains(action)) {
                for (CallerKind caller : CallerKind.values()) {
                    out.add(Arguments.of(caller, action));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyActionIsServedHereOrByAnotherService() {
        for (Action action : Action.values()) {
            boolean here = !ELSEWHERE.contains(action);
            boolean prefix = action.value().startsWith("organization.") || action.value().startsWith("members.")
                    || action.value().startsWith("owners.") || action.value().startsWith("audit.");
            assertEquals(prefix, here, action + " must be tested here or by the service that serves it");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void theAnswerIsTheTables(CallerKind caller, Action action) {
        String org = fixtures.organization("Matrix");
        Person owner = fixtures.member(org, "owner");
        Person admin = fixtures.member(org, "admin");
        Person member = fixtures.member(org, "member");
        Person target = fixtures.member(org, "member");
        String token = switch (caller) {
            case OWNER -> Fixtures.user(owner, org, "owner");
            case ADMIN -> Fixtures.user(admin, org, "admin");
            case MEMBER -> Fixtures.user(member, org, "member");
            case READ_WRITE_KEY -> Fixtures.key(org, "read_write");
            case READ_KEY -> Fixtures.key(org, "read");
            case PROJECT_KEY -> Fixtures.projectKey(org);
        };
        String base = "/v1/organizations/" + org;
        Response response = switch (action) {
            case ORGANIZATION_READ -> as(token).when().get(base);
            case ORGANIZATION_UPDATE -> as(token).body("{\"name\":\"Renamed\"}").when().patch(base);
            case ORGANIZATION_DELETE -> as(token).when().delete(base);
            case MEMBERS_READ -> as(token).when().get(base + "/members");
            case MEMBERS_INVITE -> as(token).body("{\"email\":\"m-" + UUID.randomUUID() + "@example.test\"}")
                    .when().post(base + "/invitations");
            case MEMBERS_MANAGE -> as(token).body("{\"role\":\"admin\"}").when().patch(base + "/members/" + target.id());
            case OWNERS_MANAGE -> as(token).body("{\"role\":\"owner\"}").when().patch(base + "/members/" + target.id());
            case AUDIT_READ -> as(token).when().get(base + "/audit");
            default -> throw new IllegalStateException(action + " is served elsewhere");
        };
        switch (caller.expected(action)) {
            case ALLOWED -> assertEquals(2, response.statusCode() / 100,
                    caller + " may " + action.value() + ": " + response.asString());
            case ACCESS_DENIED -> response.then().statusCode(403).body("code", equalTo("access_denied"));
            case SCOPE_INSUFFICIENT -> response.then().statusCode(403).body("code", equalTo("scope_insufficient"));
        }
    }
}
