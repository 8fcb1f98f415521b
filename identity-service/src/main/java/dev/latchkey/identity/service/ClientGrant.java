package dev.latchkey.identity.service;

import java.util.List;
import java.util.UUID;

import dev.latchkey.identity.domain.OAuthSession;
import dev.latchkey.identity.oauth.OAuthScopes;

/**
 * What a person's access token carries when issued through an OAuth grant: the client it was granted to and exactly
 * the scopes the person allowed ({@code client_id}, {@code scope}), which are then all the token opens; the e-mail
 * only with the {@code email} scope; {@code audience} null for Latchkey's own services, else the RFC 8707 resource
 * the token request asked for; and, at refresh, the organization the person chose for the client (null: the
 * session's). Null where a token is first-party (a sign-in at {@code /v1/auth/login}, its refresh, sign-up, an
 * ID-token exchange).
 */
public record ClientGrant(String clientId, List<String> scopes, String audience, UUID organizationId) {

    public ClientGrant {
        scopes = List.copyOf(scopes);
    }

    /** A new grant's terms, before its organization is recorded. */
    public ClientGrant(String clientId, List<String> scopes, String audience) {
        this(clientId, scopes, audience, null);
    }

    /**
     * The grant a session's row records, for a token request asking for {@code audience}; null for a first-party
     * session bound to a client (an ID-token exchange).
     */
    public static ClientGrant of(OAuthSession grant, String audience) {
        List<String> scopes = List.of(grant.scopes.split(" "));
        return scopes.contains(OAuthScopes.FIRST_PARTY) ? null
                : new ClientGrant(grant.clientId, scopes, audience, grant.organizationId);
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }

    public boolean withEmail() {
        return holds(OAuthScopes.EMAIL);
    }
}
