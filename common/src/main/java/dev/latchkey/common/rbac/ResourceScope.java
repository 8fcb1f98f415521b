package dev.latchkey.common.rbac;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which part of an organization an API key reaches: all of it, or only the named projects or branches.
 * Identifiers are the customer's own (Latchkey does not know their projects); they are compared exactly.
 *
 * @param type what the key is scoped to
 * @param ids  the projects or branches; empty for {@link Type#ORGANIZATION}. A project or branch scope with no
 *             ids reaches nothing (it never widens to the organization).
 */
public record ResourceScope(Type type, Set<String> ids) {

    public enum Type {
        ORGANIZATION,
        PROJECT,
        BRANCH;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type parse(String value) {
            if (value == null) {
                return null;
            }
            return switch (value) {
                case "organization" -> ORGANIZATION;
                case "project" -> PROJECT;
                case "branch" -> BRANCH;
                default -> null;
            };
        }
    }

    public static final ResourceScope ORGANIZATION = new ResourceScope(Type.ORGANIZATION, Set.of());

    public ResourceScope {
        ids = ids == null ? Set.of() : Set.copyOf(ids);
        if (type == null) {
            throw new IllegalArgumentException("a resource scope needs a type");
        }
        if (type == Type.ORGANIZATION && !ids.isEmpty()) {
            throw new IllegalArgumentException("an organization-wide scope names no resources");
        }
    }

    public static ResourceScope of(Type type, List<String> ids) {
        return type == Type.ORGANIZATION ? ORGANIZATION : new ResourceScope(type, Set.copyOf(ids));
    }

    public boolean organizationWide() {
        return type == Type.ORGANIZATION;
    }

    /** Whether this scope reaches the resource {@code id} of {@code kind}. */
    public boolean covers(Type kind, String id) {
        return organizationWide() || (type == kind && ids.contains(id));
    }

    /** Whether everything {@code other} reaches, this reaches too (a key may only mint keys within its own scope). */
    public boolean covers(ResourceScope other) {
        return organizationWide() || (!other.organizationWide() && type == other.type && ids.containsAll(other.ids));
    }
}
