package dev.latchkey.common.auth;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Permissions;
import dev.latchkey.common.rbac.Permissions.Decision;

/**
 * Authorization inside an organization, the same in every service: the caller acts in the organization its
 * token names ({@code tenant_id}), with the permissions {@link Permissions} gives its role or its key.
 */
public final class Authz {

    private Authz() {
    }

    /**
     * The caller's organization id when it may do {@code action} there. 401 without a caller; 403
     * {@code access_denied} when its role may not (or it acts in no organization, as a service token);
     * 403 {@code scope_insufficient} when its API key's capability or resource scope may not.
     */
    public static String require(VerifiedToken caller, Action action) {
        if (caller == null) {
            throw ApiException.authRequired();
        }
        if (caller.tenantId() == null || caller.isService()) {
            throw ApiException.accessDenied("This endpoint acts inside an organization; the token names none");
        }
        Decision decision = Permissions.decide(caller.roles(), caller.capability(), caller.resourceScope(), action);
        switch (decision) {
            case ALLOWED -> {
                return caller.tenantId();
            }
            case SCOPE_INSUFFICIENT -> throw scopeInsufficient(caller, action);
            default -> throw ApiException.accessDenied(caller.kind() == VerifiedToken.Kind.API_KEY
                    ? "API keys may not " + action.value() + " (owner only)"
                    : "Your role may not " + action.value());
        }
    }

    /**
     * Like {@link #require(VerifiedToken, Action)} for a resource of {@code organizationId}: a caller of another
     * organization gets 404 {@code not_found} ("{@code what} not found"), exactly as for a resource that does
     * not exist, so that no caller learns what other organizations hold. The organization check comes first.
     */
    public static String require(VerifiedToken caller, String organizationId, Action action, String what) {
        if (caller == null) {
            throw ApiException.authRequired();
        }
        if (organizationId == null || caller.tenantId() == null || !caller.tenantId().equals(organizationId)) {
            throw ApiException.notFound(what);
        }
        return require(caller, action);
    }

    /** Whether the caller may do {@code action} in its organization (no exception). */
    public static boolean allowed(VerifiedToken caller, Action action) {
        return caller != null && caller.tenantId() != null && !caller.isService()
                && Permissions.decide(caller.roles(), caller.capability(), caller.resourceScope(), action)
                        == Decision.ALLOWED;
    }

    public static ApiException scopeInsufficient(VerifiedToken caller, Action action) {
        String why = caller.resourceScope() != null && !caller.resourceScope().organizationWide()
                ? "This API key is limited to " + caller.resourceScope().type().value() + "s it names"
                : "This API key is read-only";
        return new ApiException(403, ErrorCodes.SCOPE_INSUFFICIENT, why + " and may not " + action.value());
    }
}
