package dev.latchkey.tenant.policy;

import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Role;

/** Which {@link Action} a change to memberships needs, and when a change would leave no owner. */
public final class MembershipRules {

    private MembershipRules() {
    }

    /** Changing a member's role from {@code from} to {@code to}: anything touching an owner is an owner's act. */
    public static Action roleChange(Role from, Role to) {
        return from == Role.OWNER || to == Role.OWNER ? Action.OWNERS_MANAGE : Action.MEMBERS_MANAGE;
    }

    /** Removing a member who has {@code role} (someone else; leaving needs no permission). */
    public static Action removal(Role role) {
        return role == Role.OWNER ? Action.OWNERS_MANAGE : Action.MEMBERS_MANAGE;
    }

    /**
     * Inviting someone as {@code role}. Inviting an owner is an owner's act, except while the organization has no
     * owner at all (one bootstrapped by {@code POST /v1/tenants}): then whoever may invite may invite its first
     * owner, or the organization could never get one.
     */
    public static Action invitation(Role role, boolean organizationHasOwner) {
        return role == Role.OWNER && organizationHasOwner ? Action.OWNERS_MANAGE : Action.MEMBERS_INVITE;
    }

    /**
     * Whether taking the role {@code from} away from one member (demotion to {@code to}, or removal when
     * {@code to} is null) leaves the organization without an owner, given how many owners it has now.
     */
    public static boolean losesLastOwner(Role from, Role to, long owners) {
        return from == Role.OWNER && to != Role.OWNER && owners <= 1;
    }
}
