package dev.latchkey.identity.service;

import java.util.List;

import dev.latchkey.identity.domain.OAuthSession;
import dev.latchkey.identity.oauth.OAuthScopes;

/**
 * What a person's access token carries when issued through an OAuth grant: the client it was granted to and exactly
 * the scopes the person allowed ({@code client_id}, {@code scope}), which are then all the token opens. Null where
 * a token is first-party (a sign-in at {@code /v1/auth/login}, its refresh, sign-up, an ID-token exchange).
 */
public record ClientGrant(String clientId, List<String> scopes) {

    public ClientGrant {
        scopes = List.copyOf(scopes);
    }

    /** The grant a session's row records; null for a first-party session bound to a client (an ID-token exchange). */
    public static ClientGrant of(OAuthSession grant) {
        List<String> scopes = List.of(grant.scopes.split(" "));
        return scopes.contains(OAuthScopes.FIRST_PARTY) ? null : new ClientGrant(grant.clientId, scopes);
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }
}
