package dev.latchkey.common.rbac;

import static dev.latchkey.common.rbac.Role.ADMIN;
import static dev.latchkey.common.rbac.Role.MEMBER;
import static dev.latchkey.common.rbac.Role.OWNER;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything a caller can do inside an organization, each with the roles allowed to do it. This enum is
 * THE permission table: tenant-service's README renders it ({@link Permissions#markdownTable()}) and a test
 * compares the two, so the documentation cannot drift from the code.
 */
public enum Action {
    ORGANIZATION_READ("organization.read", "see the organization", false, OWNER, ADMIN, MEMBER),
    ORGANIZATION_UPDATE("organization.update", "rename it, change its slug", true, OWNER, ADMIN),
    ORGANIZATION_DELETE("organization.delete", "delete it", true, OWNER),
    MEMBERS_READ("members.read", "list members and their roles", false, OWNER, ADMIN, MEMBER),
    MEMBERS_INVITE("members.invite", "invite as admin or member; list and revoke invitations", true, OWNER, ADMIN),
    MEMBERS_MANAGE("members.manage", "change roles between admin and member, remove admins and members", true,
            OWNER, ADMIN),
    OWNERS_MANAGE("owners.manage", "make or unmake owners, invite or remove an owner", true, OWNER),
    API_KEYS_READ("api_keys.read", "list API keys (never their secrets)", false, OWNER, ADMIN, MEMBER),
    API_KEYS_CREATE("api_keys.create",
            "create API keys (a key never exceeds its creator: members create read keys only)", true,
            OWNER, ADMIN, MEMBER),
    API_KEYS_MANAGE("api_keys.manage", "rename, rotate, revoke any key (members: the keys they created)", true,
            OWNER, ADMIN),
    WEBHOOK_PROVIDERS_READ("webhook_providers.read", "list webhook providers (never their secrets)", false,
            OWNER, ADMIN),
    WEBHOOK_PROVIDERS_MANAGE("webhook_providers.manage", "create, rotate secrets of, delete webhook providers", true,
            OWNER, ADMIN),
    WEBHOOK_EVENTS_READ("webhook_events.read", "read and stream received webhook events", false, OWNER, ADMIN,
            MEMBER),
    WEBHOOK_EVENTS_ACK("webhook_events.ack", "acknowledge received webhook events", true, OWNER, ADMIN),
    AUDIT_READ("audit.read", "read the audit log", false, OWNER, ADMIN);

    private final String value;
    private final String description;
    private final boolean mutating;
    private final Set<Role> roles;

    Action(String value, String description, boolean mutating, Role... roles) {
        this.value = value;
        this.description = description;
        this.mutating = mutating;
        this.roles = Set.copyOf(EnumSet.of(roles[0], roles));
    }

    /** The action's name in documentation and audit records, e.g. {@code members.invite}. */
    public String value() {
        return value;
    }

    public String description() {
        return description;
    }

    /** Whether the action changes anything: a {@code read} API key may do none of these. */
    public boolean mutating() {
        return mutating;
    }

    /** The roles that may do this. */
    public Set<Role> roles() {
        return roles;
    }

    /** Whether only owners may do this: no API key ever may, whatever its capability. */
    public boolean ownerOnly() {
        return roles.equals(Set.of(OWNER));
    }
}
