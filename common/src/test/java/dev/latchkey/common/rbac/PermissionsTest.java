package dev.latchkey.common.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.latchkey.common.rbac.Permissions.Decision;

class PermissionsTest {

    static Decision person(Role role, Action action) {
        return Permissions.decide(role == null ? Set.of() : Set.of(role), null, null, action);
    }

    static Decision key(Capability capability, ResourceScope scope, Action action) {
        return Permissions.decide(Set.of(Permissions.machineRole(capability)), capability, scope, action);
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void ownersMayDoEverything(Action action) {
        assertEquals(Decision.ALLOWED, person(Role.OWNER, action));
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void aPersonWithoutARoleMayDoNothing(Action action) {
        assertEquals(Decision.ACCESS_DENIED, person(null, action));
    }

    @Test
    void adminsMayNotDeleteTheOrganizationOrManageOwners() {
        assertEquals(Decision.ACCESS_DENIED, person(Role.ADMIN, Action.ORGANIZATION_DELETE));
        assertEquals(Decision.ACCESS_DENIED, person(Role.ADMIN, Action.OWNERS_MANAGE));
        assertEquals(Decision.ALLOWED, person(Role.ADMIN, Action.MEMBERS_MANAGE));
        assertEquals(Decision.ALLOWED, person(Role.ADMIN, Action.API_KEYS_MANAGE));
        assertEquals(Decision.ALLOWED, person(Role.ADMIN, Action.WEBHOOK_PROVIDERS_MANAGE));
    }

    @Test
    void membersReadButManageNothing() {
        assertEquals(Decision.ALLOWED, person(Role.MEMBER, Action.MEMBERS_READ));
        assertEquals(Decision.ACCESS_DENIED, person(Role.MEMBER, Action.MEMBERS_INVITE));
        assertEquals(Decision.ACCESS_DENIED, person(Role.MEMBER, Action.API_KEYS_MANAGE));
        assertEquals(Decision.ACCESS_DENIED, person(Role.MEMBER, Action.AUDIT_READ));
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void aReadWriteOrganizationKeyActsAsAnAdminButNeverAsAnOwner(Action action) {
        Decision expected = action.ownerOnly() ? Decision.ACCESS_DENIED : person(Role.ADMIN, action);
        assertEquals(expected, key(Capability.READ_WRITE, ResourceScope.ORGANIZATION, action));
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void aReadKeyActsAsAMemberThatOnlyReads(Action action) {
        Decision decision = key(Capability.READ, ResourceScope.ORGANIZATION, action);
        if (action.ownerOnly()) {
            assertEquals(Decision.ACCESS_DENIED, decision);
        } else if (action.mutating()) {
            assertEquals(Decision.SCOPE_INSUFFICIENT, decision);
        } else {
            assertEquals(person(Role.MEMBER, action), decision);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, mode = EnumSource.Mode.EXCLUDE, names = { "ORGANIZATION_DELETE", "OWNERS_MANAGE" })
    void aProjectScopedKeyReachesNoOrganizationLevelAction(Action action) {
        ResourceScope project = new ResourceScope(ResourceScope.Type.PROJECT, Set.of("p1"));
        assertEquals(Decision.SCOPE_INSUFFICIENT, key(Capability.READ_WRITE, project, action));
    }

    @Test
    void everyMutatingActionIsMarkedSoAndReadsAreNot() {
        for (Action action : Action.values()) {
            assertEquals(!action.value().endsWith(".read"), action.mutating(), action.value());
        }
    }

    @Test
    void theMarkdownTableHasARowPerActionAndAColumnPerCaller() {
        String table = Permissions.markdownTable();
        assertEquals(Action.values().length + 2, table.lines().count());
        assertTrue(table.contains("| `organization.delete` | delete it | yes | – | – | – | – |"), table);
        assertTrue(table.contains("| `organization.read` | see the organization | yes | yes | yes | yes | yes |"), table);
    }

    @Test
    void resourceScopesCoverOnlyWhatTheyName() {
        ResourceScope p1 = new ResourceScope(ResourceScope.Type.PROJECT, Set.of("p1"));
        assertTrue(p1.covers(ResourceScope.Type.PROJECT, "p1"));
        assertFalse(p1.covers(ResourceScope.Type.PROJECT, "p2"));
        assertFalse(p1.covers(ResourceScope.Type.BRANCH, "p1"));
        assertTrue(ResourceScope.ORGANIZATION.covers(ResourceScope.Type.BRANCH, "anything"));
        assertTrue(ResourceScope.ORGANIZATION.covers(p1));
        assertFalse(p1.covers(ResourceScope.ORGANIZATION));
        assertTrue(new ResourceScope(ResourceScope.Type.PROJECT, Set.of("p1", "p2")).covers(p1));
        assertFalse(new ResourceScope(ResourceScope.Type.PROJECT, Set.of()).covers(ResourceScope.Type.PROJECT, ""));
    }
}
