package dev.latchkey.common.rbac;

import java.util.Collection;
import java.util.Locale;

/** A member's role in an organization, ordered from least to most powerful. */
public enum Role {
    MEMBER,
    ADMIN,
    OWNER;

    /** The value in tokens' {@code roles} claim and in JSON: {@code owner}, {@code admin}, {@code member}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code value}, or null for anything else (unknown roles grant nothing). */
    public static Role parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "owner" -> OWNER;
            case "admin" -> ADMIN;
            case "member" -> MEMBER;
            default -> null;
        };
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The most powerful of {@code roles}, or null when there is none. */
    public static Role highest(Collection<Role> roles) {
        Role best = null;
        for (Role role : roles) {
            if (role != null && (best == null || role.compareTo(best) > 0)) {
                best = role;
            }
        }
        return best;
    }
}
