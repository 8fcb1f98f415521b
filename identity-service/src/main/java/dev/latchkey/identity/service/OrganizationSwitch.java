package dev.latchkey.identity.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.repository.SessionRepository;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.service.SessionService.Tokens;
import dev.latchkey.identity.token.TokenSigner.SignedToken;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * A signed-in person's session moves to another of their organizations, without signing in again. First-party
 * sessions only: a client's grant is for the organization chosen at consent ({@code POST /v1/auth/switch-org} is
 * closed to clients' tokens), so the token issued here names no client.
 */
@ApplicationScoped
public class OrganizationSwitch {

    private final SessionRepository sessions;
    private final UserRepository users;
    private final TenantClient tenants;
    private final UserTokens tokens;

    public OrganizationSwitch(SessionRepository sessions, UserRepository users, TenantClient tenants,
            UserTokens tokens) {
        this.sessions = sessions;
        this.users = users;
        this.tenants = tenants;
        this.tokens = tokens;
    }

    /**
     * A fresh access token acting in {@code organizationId} for the caller's session, without signing in again.
     * 404 for an organization the user does not belong to. The session's refresh token stays valid and from now
     * on refreshes into the new organization.
     */
    public Uni<Tokens> switchOrganization(String userId, String sessionId, String organizationId) {
        UUID sid = SessionService.uuid(sessionId);
        UUID org = SessionService.uuid(organizationId);
        if (sid == null || org == null) {
            return Uni.createFrom().failure(ApiException.notFound("Organization"));
        }
        return tenants.membership(org.toString(), userId).flatMap(membership -> {
            if (membership.isEmpty()) {
                return Uni.createFrom().failure(ApiException.notFound("Organization"));
            }
            // After tenant-service answered: the transaction holds no connection while that call is out.
            return moveTo(sid, userId, org).map(found -> {
                SignedToken token = tokens.issue(found.user(), membership.get(), sid.toString(), null);
                return new Tokens(found.user(), membership.get(), found.session(), token.compact(),
                        tokens.ttl().toSeconds(), null);
            });
        });
    }

    /** The session, locked, acts in {@code org} from now on, and so does its user's next sign-in. */
    @WithTransaction
    Uni<Switched> moveTo(UUID sid, String userId, UUID org) {
        return sessions.lock(sid).flatMap(session -> {
            if (session == null || !session.userId.toString().equals(userId) || !session.active(SessionService.now())) {
                return Uni.createFrom().<Switched>failure(new ApiException(401, "session_ended",
                        "This session has ended; sign in again"));
            }
            session.organizationId = org;
            session.lastUsedAt = SessionService.now();
            session.lastTokenExpiresAt = SessionService.now().plus(tokens.ttl());
            return users.findById(session.userId).map(user -> {
                user.lastOrganizationId = org;
                return new Switched(session, user);
            });
        });
    }

    record Switched(Session session, User user) {
    }
}
