package dev.latchkey.common.rbac;

import java.util.Set;

/**
 * Decides whether a caller may do an {@link Action} inside its own organization. The one place every
 * Latchkey service asks.
 * <p>
 * People act with the role the token's {@code roles} claim gives them there. Machines (an organization's API
 * key, or a JWT exchanged from one) follow one rule everywhere: a {@code read_write} key acts as an admin, a
 * {@code read} key as a member who only reads, and no key ever does an owner-only action. A key scoped to
 * projects or branches reaches no organization-level action; endpoints that name a resource check it with
 * {@link ResourceScope#covers}.
 */
public final class Permissions {

    /** The outcome; callers map it to 403 {@code access_denied} or 403 {@code scope_insufficient}. */
    public enum Decision {
        ALLOWED,
        /** The role may not do this. */
        ACCESS_DENIED,
        /** The API key's capability or resource scope may not do this. */
        SCOPE_INSUFFICIENT
    }

    private Permissions() {
    }

    public static boolean allows(Role role, Action action) {
        return role != null && action.roles().contains(role);
    }

    /** The role a machine caller acts with: an admin for {@code read_write}, a member for {@code read}. */
    public static Role machineRole(Capability capability) {
        return capability == Capability.READ_WRITE ? Role.ADMIN : Role.MEMBER;
    }

    /**
     * @param roles      the caller's roles in the organization (from the token)
     * @param capability null for a person, the key's capability for a machine caller
     * @param scope      null for a person, the key's resource scope for a machine caller
     */
    public static Decision decide(Set<Role> roles, Capability capability, ResourceScope scope, Action action) {
        if (capability == null) {
            return allows(Role.highest(roles), action) ? Decision.ALLOWED : Decision.ACCESS_DENIED;
        }
        if (action.ownerOnly()) {
            return Decision.ACCESS_DENIED;
        }
        if (scope != null && !scope.organizationWide()) {
            return Decision.SCOPE_INSUFFICIENT;
        }
        if (action.mutating() && capability != Capability.READ_WRITE) {
            return Decision.SCOPE_INSUFFICIENT;
        }
        return allows(machineRole(capability), action) ? Decision.ALLOWED : Decision.ACCESS_DENIED;
    }

    /** The permission table as Markdown, exactly as tenant-service's README shows it. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| action | what | owner | admin | member | `read_write` key | `read` key |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Action action : Action.values()) {
            out.append("| `").append(action.value()).append("` | ").append(action.description());
            for (Role role : new Role[] { Role.OWNER, Role.ADMIN, Role.MEMBER }) {
                out.append(" | ").append(allows(role, action) ? "yes" : "–");
            }
            for (Capability capability : new Capability[] { Capability.READ_WRITE, Capability.READ }) {
                Decision decision = decide(Set.of(), capability, ResourceScope.ORGANIZATION, action);
                out.append(" | ").append(decision == Decision.ALLOWED ? "yes" : "–");
            }
            out.append(" |\n");
        }
        return out.toString();
    }
}
