package dev.latchkey.identity.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.config.OAuthConfig;
import dev.latchkey.identity.domain.OAuthSession;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.oauth.IdTokens;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.repository.OAuthSessionRepository;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.service.AuthorizationService.Granted;
import dev.latchkey.identity.service.ClientRegistry.Client;
import dev.latchkey.identity.service.SessionService.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Sessions of {@link SessionService} granted to an OAuth client (by a code, an approved device, a token exchange):
 * the grant row binds the session to that client, so only it refreshes, introspects or revokes the session, and
 * keeps the scopes and the time of sign-in its ID tokens carry.
 */
@ApplicationScoped
public class ClientSessions {

    private final UserRepository users;
    private final OAuthSessionRepository grants;
    private final SessionService sessions;
    private final SigningKeyService keys;
    private final OAuthConfig oauth;
    private final IdTokens idTokens;

    public ClientSessions(UserRepository users, OAuthSessionRepository grants,
            SessionService sessions, SigningKeyService keys, OAuthConfig oauth, IdentityConfig config) {
        this.users = users;
        this.grants = grants;
        this.sessions = sessions;
        this.keys = keys;
        this.oauth = oauth;
        this.idTokens = new IdTokens(config.issuer());
    }

    /**
     * What a person granted a client on the pages: who, in which organization, the scopes and RFC 8707 resources
     * (newline-separated, null for none) asked for, the request's nonce and when the person signed in.
     */
    public record Granting(UUID userId, OrganizationRole organization, String scopes, String resources, String nonce,
            OffsetDateTime authTime) {
    }

    /**
     * A session for a person a client was granted access to (a code, an approved device), bound to that client; an
     * ID token beside it for {@code openid}. The grant keeps the organization and the resources, which every
     * refresh holds to. {@code audience}: the resource the first access token is for; null for Latchkey's own.
     * Inside a code exchange's transaction it joins that one.
     */
    @WithTransaction
    public Uni<Granted> start(Client client, Granting granting, String audience, String userAgent, String address) {
        List<String> scopes = List.of(granting.scopes().split(" "));
        OrganizationRole organization = granting.organization();
        UUID organizationId = organization == null ? null : UUID.fromString(organization.organizationId());
        OffsetDateTime authTime = granting.authTime();
        return users.findById(granting.userId()).flatMap(user -> {
            if (user == null || User.DISABLED.equals(user.status)) {
                return Uni.createFrom().<Granted>failure(OAuthProblem.invalidGrant("account_disabled",
                        "The account is disabled"));
            }
            // The access token names the client and carries exactly the granted scopes (the e-mail only with email),
            // for the audience asked for.
            ClientGrant granted = new ClientGrant(client.id(), scopes, audience, organizationId);
            return sessions.start(user, organization, userAgent, address, granted).flatMap(tokens -> {
                OAuthSession grant = new OAuthSession();
                grant.sessionId = tokens.session().id;
                grant.clientId = client.id();
                grant.scopes = granting.scopes();
                grant.resources = granting.resources();
                grant.organizationId = organizationId;
                grant.authTime = authTime;
                return grants.persist(grant).map(x -> new Granted(tokens, idToken(client, user, tokens, scopes,
                        granting.nonce(), authTime.toInstant()), scopes));
            });
        });
    }

    /**
     * Binds a session started outside the code flow (token exchange) to a client: only it refreshes, introspects or
     * revokes it. {@code scopes} holding {@link OAuthScopes#FIRST_PARTY} keep its tokens first-party.
     */
    @WithTransaction
    public Uni<Void> bind(UUID sessionId, String clientId, List<String> scopes) {
        OAuthSession grant = new OAuthSession();
        grant.sessionId = sessionId;
        grant.clientId = clientId;
        grant.scopes = String.join(" ", scopes);
        grant.authTime = SessionService.now();
        return grants.persist(grant).replaceWithVoid();
    }

    /** The client a session was granted to, or null (a password sign-in at /v1/auth/login). */
    public Uni<OAuthSession> grantOf(UUID sessionId) {
        return sessionId == null ? Uni.createFrom().nullItem() : grants.findById(sessionId);
    }

    /** The ID token of a grant with {@code openid}, else null. */
    String idToken(Client client, User user, Tokens tokens, List<String> scopes, String nonce, Instant authTime) {
        if (!scopes.contains(OAuthScopes.OPENID)) {
            return null;
        }
        boolean email = scopes.contains(OAuthScopes.EMAIL);
        boolean profile = scopes.contains(OAuthScopes.PROFILE);
        return idTokens.sign(new IdTokens.Subject(user.id.toString(), client.id(), tokens.session().id.toString(),
                authTime, nonce, email ? user.email : null, email ? user.emailVerified() : null,
                profile ? user.name : null), tokens.accessToken(), keys.activeKey(), Instant.now(), oauth.idTokenTtl());
    }
}
