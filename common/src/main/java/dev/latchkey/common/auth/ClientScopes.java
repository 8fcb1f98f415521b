package dev.latchkey.common.auth;

import java.util.List;

import dev.latchkey.common.rbac.Action;

/**
 * The scopes that open Latchkey's own APIs to an OAuth client, defined once. A person's token issued to a client
 * ({@link Claims#CLIENT_ID}) reaches only the endpoints marked {@link ClientScope} with a scope it holds; every other
 * {@link BearerToken} endpoint refuses it ({@link BearerTokenFilter}). First-party sign-ins, API keys and services
 * carry no client and are not limited by these. OpenID Connect's {@code openid profile email offline_access} sign a
 * person in and open userinfo ({@link #OPENID}), nothing else.
 */
public final class ClientScopes {

    /** OpenID Connect's: opens userinfo. */
    public static final String OPENID = "openid";
    /** The person's own account: {@code GET /v1/me} (identity and tenant-service), resending the verification mail. */
    public static final String ACCOUNT = "account";
    /** The person's sessions: list them, end one, end all ({@code /v1/sessions}). */
    public static final String SESSIONS = "sessions";
    /**
     * Read inside the granted organization: every read {@link Action} (the organization, members, invitations, API
     * keys, webhook providers and events, audit) and listing the person's organizations.
     */
    public static final String ORGANIZATIONS_READ = "organizations:read";
    /**
     * Change inside the granted organization with the person's role: every mutating {@link Action} but API keys
     * (rename or delete it, members, invitations, webhook providers, acknowledging events), creating an organization,
     * accepting an invitation.
     */
    public static final String ORGANIZATIONS_WRITE = "organizations:write";
    /**
     * Create, rename, rotate and revoke API keys (within the person's role). Keys outlive the grant that made them:
     * a client asks for this only when it must.
     */
    public static final String API_KEYS_WRITE = "api_keys:write";

    /** Latchkey's own API scopes, in the order documented and shown on the consent page. */
    public static final List<String> API = List.of(ACCOUNT, SESSIONS, ORGANIZATIONS_READ, ORGANIZATIONS_WRITE,
            API_KEYS_WRITE);

    private ClientScopes() {
    }

    /** The scope that opens {@code action} to a client. */
    public static String of(Action action) {
        return switch (action) {
            case API_KEYS_CREATE, API_KEYS_MANAGE -> API_KEYS_WRITE;
            default -> action.mutating() ? ORGANIZATIONS_WRITE : ORGANIZATIONS_READ;
        };
    }

    /** Whether Latchkey itself honours {@code scope}: one of {@link #API}, or a service's {@code internal:} one. */
    public static boolean latchkeys(String scope) {
        return API.contains(scope) || scope.startsWith(Scopes.INTERNAL_PREFIX);
    }
}
