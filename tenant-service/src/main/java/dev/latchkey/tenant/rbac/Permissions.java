package dev.latchkey.tenant.rbac;

import java.util.List;
import java.util.Set;

/**
 * Permissions a token's scopes grant inside its own organization. A scope grants itself, {@code resource:*}
 * grants every action on the resource and {@code *} grants everything.
 */
public final class Permissions {

    public static final String ORGANIZATIONS_READ = "organizations:read";
    public static final String ORGANIZATIONS_WRITE = "organizations:write";
    public static final String API_KEYS_READ = "api_keys:read";
    public static final String API_KEYS_WRITE = "api_keys:write";

    /** What an organization's first API key may do: everything within the organization. */
    public static final List<String> OWNER_SCOPES = List.of(ORGANIZATIONS_READ, ORGANIZATIONS_WRITE, API_KEYS_READ,
            API_KEYS_WRITE);

    private Permissions() {
    }

    public static boolean allows(Set<String> scopes, String permission) {
        if (scopes.contains(permission) || scopes.contains("*")) {
            return true;
        }
        int colon = permission.indexOf(':');
        return colon > 0 && scopes.contains(permission.substring(0, colon) + ":*");
    }
}
