package dev.latchkey.identity.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.AuthorizationCode;
import dev.latchkey.identity.domain.ChosenOrganization;
import dev.latchkey.identity.domain.OAuthSession;
import dev.latchkey.identity.oauth.AuthorizationCodes;
import dev.latchkey.identity.oauth.ResourceIndicators;
import dev.latchkey.identity.oauth.ResourceIndicators.Target;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.repository.AuthorizationCodeRepository;
import dev.latchkey.identity.service.ClientRegistry.Client;
import dev.latchkey.identity.service.SessionService.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The token endpoint's grants for people (OAuth 2.1): a single-use code, issued on the pages ({@link
 * AuthorizationRequests}, {@link AuthorizationSteps}) and bound to client, redirect URI and PKCE challenge, is
 * exchanged for a session of {@link SessionService} (its refresh token rotates like any other), an access token
 * and, for {@code openid}, an ID token; the session is bound to the client ({@link ClientSessions}): only that
 * client refreshes, introspects or revokes it.
 */
@ApplicationScoped
public class AuthorizationService {

    /** What the token endpoint answers for a code or a refresh. */
    public record Granted(Tokens tokens, String idToken, List<String> scopes) {
        @Override
        public String toString() {
            return "Granted[" + tokens + "]";
        }
    }

    private final AuthorizationCodeRepository codes;
    private final ClientSessions clientSessions;
    private final SessionService sessions;
    private final String ownAudience;

    public AuthorizationService(AuthorizationCodeRepository codes, ClientSessions clientSessions,
            SessionService sessions, IdentityConfig config) {
        this.codes = codes;
        this.clientSessions = clientSessions;
        this.sessions = sessions;
        this.ownAudience = config.audience();
    }

    /**
     * The authorization_code grant. Every refusal is 400 invalid_grant with a precise {@code code}; a code presented
     * a second time also ends the session it was exchanged for (RFC 6749 §4.1.2). {@code resources}: RFC 8707, at
     * most one, asked for at the authorization endpoint; 400 invalid_target otherwise, the code left unused.
     */
    public Uni<Granted> exchange(Client client, String code, String redirectUri, String verifier,
            List<String> resources, String userAgent, String address) {
        if (!AuthorizationCodes.wellFormed(code)) {
            return Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_code", "The authorization code is not valid"));
        }
        if (redirectUri == null || verifier == null) {
            return Uni.createFrom().failure(OAuthProblem.invalidRequest("redirect_uri and code_verifier are required"));
        }
        String hash = AuthorizationCodes.hash(code);
        Instant now = Instant.now();
        // One transaction for the whole exchange: the code marked used, the session with its refresh token, the
        // client's grant and the code's session id commit together; a failure leaves the code unused. Written by
        // hand because it must end before the answer: a replay then ends its session in a transaction of its own,
        // which the error answered would otherwise roll back.
        return Panache.withTransaction(() -> codes.findById(hash, LockModeType.PESSIMISTIC_WRITE).flatMap(row -> {
            AuthorizationCodes.Status status = AuthorizationCodes.check(row == null ? null
                    : new AuthorizationCodes.Issued(row.clientId, row.redirectUri, row.codeChallenge,
                            row.expiresAt.toInstant(), row.usedAt == null ? null : row.usedAt.toInstant()),
                    client.id(), redirectUri, verifier, now);
            if (status != AuthorizationCodes.Status.VALID) {
                return Uni.createFrom().item(new Checked(status, row, null));
            }
            Target target = ResourceIndicators.target(resources, client.resources(),
                    ResourceIndicators.split(row.resources), ownAudience);
            if (target.refusal() != null) {
                // Before the code is marked used: the client may ask again for what it was granted.
                return Uni.createFrom().<Checked>failure(OAuthProblem.invalidTarget(target.refusal()));
            }
            row.usedAt = SessionService.now();
            return start(client, row, target.audience(), userAgent, address)
                    .map(granted -> new Checked(status, row, granted));
        })).flatMap(checked -> switch (checked.status()) {
            case VALID -> Uni.createFrom().item(checked.granted());
            case USED -> replayed(checked.row());
            case EXPIRED -> Uni.createFrom().failure(OAuthProblem.invalidGrant("code_expired",
                    "The authorization code has expired"));
            case WRONG_CLIENT -> Uni.createFrom().failure(OAuthProblem.invalidGrant("wrong_client",
                    "The authorization code was issued to another client"));
            case WRONG_REDIRECT_URI -> Uni.createFrom().failure(OAuthProblem.invalidGrant("redirect_uri_mismatch",
                    "redirect_uri differs from the authorization request's"));
            case WRONG_VERIFIER -> Uni.createFrom().failure(OAuthProblem.invalidGrant("pkce_failed",
                    "code_verifier does not match the code_challenge"));
            case UNKNOWN -> Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_code",
                    "The authorization code is not valid"));
        });
    }

    private record Checked(AuthorizationCodes.Status status, AuthorizationCode row, Granted granted) {
    }

    private Uni<Granted> replayed(AuthorizationCode row) {
        Log.warnf("authorization code of client %s presented again: ending the session it was exchanged for",
                row.clientId);
        Uni<Integer> ended = row.sessionId == null ? Uni.createFrom().item(0)
                : sessions.end(List.of(row.sessionId), "authorization_code_reused");
        return ended.flatMap(n -> Uni.createFrom().failure(OAuthProblem.invalidGrant("code_reused",
                "The authorization code was already used; what it was exchanged for has been revoked")));
    }

    private Uni<Granted> start(Client client, AuthorizationCode row, String audience, String userAgent,
            String address) {
        OrganizationRole organization = ChosenOrganization.role(row.organization);
        // Runs inside exchange's transaction (the nested ones join it); row is managed there, so the session id
        // is written with the rest at commit.
        return clientSessions.start(client, new ClientSessions.Granting(row.userId, organization, row.scopes,
                row.resources, row.nonce, row.authTime), audience, userAgent, address)
                .invoke(granted -> row.sessionId = granted.tokens().session().id);
    }

    /**
     * The refresh_token grant: the session's refresh token rotates (replay ends the session), the role in the
     * grant's organization is read again. Only the client the session was granted to may refresh it, for one of the
     * resources of the grant (RFC 8707) or Latchkey's own audience; a refusal leaves the refresh token unused.
     */
    public Uni<Granted> refresh(Client client, String refreshToken, List<String> resources, String userAgent,
            String address) {
        UUID named = sessions.sessionOf(refreshToken);
        if (named == null) {
            return Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_refresh_token",
                    "The refresh token is not valid"));
        }
        return clientSessions.grantOf(named).flatMap(grant -> {
            if (grant == null || !grant.clientId.equals(client.id())) {
                return Uni.createFrom().<Granted>failure(OAuthProblem.invalidGrant("invalid_refresh_token",
                        "The refresh token is not valid for this client"));
            }
            Target target = ResourceIndicators.target(resources, client.resources(),
                    ResourceIndicators.split(grant.resources), ownAudience);
            if (target.refusal() != null) {
                return Uni.createFrom().<Granted>failure(OAuthProblem.invalidTarget(target.refusal()));
            }
            List<String> scopes = OAuthScopes.granted(grant.scopes);
            return sessions.refreshGrant(refreshToken, userAgent, address, ClientGrant.of(grant, target.audience()))
                    .onFailure(ApiException.class).transform(e -> OAuthProblem.of((ApiException) e, "invalid_grant"))
                    .map(tokens -> new Granted(tokens, clientSessions.idToken(client, tokens.user(), tokens, scopes,
                            null, grant.authTime.toInstant()), scopes));
        });
    }

    /** Binds a session started outside the code flow (token exchange) to a client. */
    public Uni<Void> bind(UUID sessionId, String clientId, List<String> scopes) {
        return clientSessions.bind(sessionId, clientId, scopes);
    }

    /** The client a session was granted to, or null (a password sign-in at /v1/auth/login). */
    public Uni<OAuthSession> grantOf(UUID sessionId) {
        return clientSessions.grantOf(sessionId);
    }
}
