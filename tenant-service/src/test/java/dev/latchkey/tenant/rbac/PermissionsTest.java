package dev.latchkey.tenant.rbac;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class PermissionsTest {

    @Test
    void aScopeGrantsItselfOnly() {
        assertTrue(Permissions.allows(Set.of("organizations:read"), "organizations:read"));
        assertFalse(Permissions.allows(Set.of("organizations:read"), "organizations:write"));
        assertFalse(Permissions.allows(Set.of("api_keys:read"), "organizations:read"));
    }

    @Test
    void wildcardsGrantTheirResourceOrEverything() {
        assertTrue(Permissions.allows(Set.of("organizations:*"), "organizations:write"));
        assertFalse(Permissions.allows(Set.of("organizations:*"), "api_keys:read"));
        assertTrue(Permissions.allows(Set.of("*"), "api_keys:write"));
    }

    @Test
    void lookAlikesGrantNothing() {
        assertFalse(Permissions.allows(Set.of("organizations"), "organizations:read"));
        assertFalse(Permissions.allows(Set.of("organizations:read "), "organizations:read"));
        assertFalse(Permissions.allows(Set.of(), "organizations:read"));
    }
}
