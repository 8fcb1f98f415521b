package dev.latchkey.identity.service;

import java.util.List;
import java.util.UUID;

import dev.latchkey.identity.oauth.OAuthScopes;

/**
 * What a client's grant puts into the access tokens of its session ({@link ClientSessions}): the e-mail only with
 * the {@code email} scope; {@code audience} null for Latchkey's own, else the RFC 8707 resource asked for; and, at
 * refresh, the organization the person chose for the client (null: the session's, for a grant without one).
 */
public record GrantTerms(List<String> scopes, String audience, UUID organizationId) {

    public boolean withEmail() {
        return scopes.contains(OAuthScopes.EMAIL);
    }
}
