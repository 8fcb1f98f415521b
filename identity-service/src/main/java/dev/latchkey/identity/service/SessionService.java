package dev.latchkey.identity.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Revocations;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.session.SessionRefreshTokens;
import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.repository.RefreshRotations;
import dev.latchkey.identity.repository.RefreshRotations.Presented;
import dev.latchkey.identity.repository.SessionRepository;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.session.SessionRefreshTokens.Decision;
import dev.latchkey.identity.token.TokenSigner.SignedToken;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Sessions: a sign-in creates one with an opaque refresh token (stored as a hash); every refresh rotates the
 * token and re-reads the user's role from tenant-service; a replayed token ends the whole session. Ending a
 * session (logout, replay, password change, an operator, an organization deleted) is published on the
 * revocation channel, so its access tokens are refused by every service at once, not when they expire.
 */
@ApplicationScoped
public class SessionService {

    /** What a sign-in or a refresh hands to the client. */
    public record Tokens(User user, OrganizationRole organization, Session session, String accessToken, long expiresIn,
            String refreshToken) {
        @Override
        public String toString() {
            return "Tokens[session=" + session.id + "]";
        }
    }

    private final SessionRepository sessions;
    private final RefreshRotations rotations;
    private final UserRepository users;
    private final SessionOrganizations organizations;
    private final UserTokens tokens;
    private final Revocations revocations;
    private final IdentityConfig config;
    private final SessionRefreshTokens refreshTokens;

    public SessionService(SessionRepository sessions, RefreshRotations rotations, UserRepository users,
            SessionOrganizations organizations, UserTokens tokens, Revocations revocations, IdentityConfig config) {
        this.sessions = sessions;
        this.rotations = rotations;
        this.users = users;
        this.organizations = organizations;
        this.tokens = tokens;
        this.revocations = revocations;
        this.config = config;
        this.refreshTokens = new SessionRefreshTokens(dev.latchkey.common.crypto.SecretBox.decodeKey(config.kek()));
    }

    /** The organization a session acts in ({@link SessionOrganizations#active}). */
    public Uni<OrganizationRole> activeOrganization(User user, UUID preferred) {
        return organizations.active(user, preferred);
    }

    /** Starts a first-party session for a user who has just proven who they are. */
    public Uni<Tokens> start(User user, OrganizationRole organization, String userAgent, String clientAddress) {
        return start(user, organization, userAgent, clientAddress, null);
    }

    /**
     * Starts a session; with a {@code grant} (a session granted to an OAuth client, see {@link ClientSessions}) its
     * access token names the client and carries the grant's scopes ({@link UserTokens#issue}).
     */
    @WithTransaction
    public Uni<Tokens> start(User user, OrganizationRole organization, String userAgent, String clientAddress,
            ClientGrant grant) {
        OffsetDateTime now = now();
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.userId = user.id;
        session.organizationId = organization == null ? null : UUID.fromString(organization.organizationId());
        session.createdAt = now;
        session.lastUsedAt = now;
        session.expiresAt = now.plus(config.sessions().lifetime());
        session.lastTokenExpiresAt = now.plus(tokens.ttl());
        session.userAgent = truncate(userAgent, 512);
        session.clientAddress = truncate(clientAddress, 64);
        String refresh = refreshTokens.issue(session.id, 0);
        session.refreshGeneration = 0;
        session.refreshHash = hex(refresh);
        return sessions.persistAndFlush(session)
                .flatMap(ignored -> session.organizationId == null ? Uni.createFrom().voidItem()
                        // Only when it changes: every sign-in of a user would otherwise queue on that user's row.
                        : users.update("lastOrganizationId = ?1 where id = ?2 and (lastOrganizationId is null"
                                + " or lastOrganizationId <> ?1)", session.organizationId, user.id).replaceWithVoid())
                .map(ignored -> issue(user, organization, session, refresh, grant));
    }

    /**
     * Rotates {@code refreshToken} and issues fresh tokens, the user's role read anew. 401
     * {@code invalid_refresh_token} (unknown), {@code session_ended}, {@code session_expired},
     * {@code refresh_token_reused} (a rotated token presented again: the session is ended). A session granted to
     * an OAuth client is refused, 400 {@code use_token_endpoint}, neither rotated nor ended: its client refreshes
     * it at the token endpoint, authenticated when confidential (RFC 6749 §6, RFC 9700 §4.14).
     */
    public Uni<Tokens> refresh(String refreshToken, String userAgent, String clientAddress) {
        return refresh(refreshToken, userAgent, clientAddress, true, null);
    }

    /**
     * The refresh of a session granted to an OAuth client, at the token endpoint once the client and its grant are
     * checked ({@link AuthorizationService#refresh}); the access token carries what {@code grant} says (null: a
     * first-party session bound to its client, as an ID-token exchange's): 400 {@code organization_left} (the
     * session ends) once the person is no longer a member of the organization they chose for the client.
     */
    public Uni<Tokens> refreshGrant(String refreshToken, String userAgent, String clientAddress, ClientGrant grant) {
        return refresh(refreshToken, userAgent, clientAddress, false, grant);
    }

    /** {@code firstParty}: a refresh at {@code POST /v1/auth/refresh}, which a client's session refuses. */
    private Uni<Tokens> refresh(String refreshToken, String userAgent, String clientAddress, boolean firstParty,
            ClientGrant grant) {
        SessionRefreshTokens.Parsed parsed = refreshTokens.parse(refreshToken);
        if (parsed == null) {
            return Uni.createFrom().failure(invalidRefreshToken());
        }
        String fresh = refreshTokens.issue(parsed.sessionId(), parsed.generation() + 1);
        OffsetDateTime now = now();
        Session touch = new Session();
        touch.id = parsed.sessionId();
        touch(touch, now, userAgent, clientAddress);
        // One statement judges, rotates and reads (RefreshRotations.REFRESH_SESSIONS), a first-party one leaving a
        // client's session untouched; only a refused token is read again, for the reason that applies. A client's
        // session is refused before any other reason: a replay here must not end a session its client still holds.
        return rotations.refreshSession(parsed.generation(), parsed.hash(), hex(fresh), touch, now,
                now.minus(config.sessions().reuseGrace()), firstParty).flatMap(found -> found != null
                        ? answer(found, fresh, grant,
                                () -> rotations.hold(parsed.sessionId(), parsed.generation(), parsed.hash()))
                        : rotations.findSession(parsed.sessionId()).flatMap(again -> firstParty && again != null
                                && again.granted() ? Uni.createFrom().failure(useTokenEndpoint())
                                        : refused(notRotated(decide(parsed, again)), again)));
    }

    /** What a refresh writes on its session besides the token: when, until when its access token lives, from where. */
    private void touch(Session session, OffsetDateTime now, String userAgent, String clientAddress) {
        session.lastUsedAt = now;
        session.lastTokenExpiresAt = now.plus(tokens.ttl());
        if (userAgent != null) {
            session.userAgent = truncate(userAgent, 512);
        }
        if (clientAddress != null) {
            session.clientAddress = truncate(clientAddress, 64);
        }
    }

    /**
     * The answer to a refresh whose rotation is committed: the user's organization and role read anew, a signed
     * access token, the new refresh token. When it cannot be made (tenant-service unavailable, say), the new refresh
     * token reached nobody, so {@code hold} keeps the presented one accepted for the client's retry.
     */
    private Uni<Tokens> answer(Presented found, String fresh, ClientGrant grant, Supplier<Uni<Void>> hold) {
        User user = found.user();
        Session session = found.session();
        if (User.DISABLED.equals(user.status)) {
            return disabled(session);
        }
        UUID fixed = grant == null ? null : grant.organizationId();
        Uni<OrganizationRole> organization = fixed == null ? activeOrganization(user, session.organizationId)
                : organizations.ofGrant(user, fixed).onItem().ifNull().switchTo(() -> left(session));
        return organization
                .call(role -> moved(session, role))
                .map(role -> issue(user, role, session, fresh, grant))
                .onFailure().call(failure -> hold.get().onFailure().invoke(e -> Log.warnf(
                        "session %s: a refresh failed after its rotation and its token could not be held: %s",
                        session.id, e)).onFailure().recoverWithNull());
    }

    /** Records the organization the session acts in when the refresh moved it (the user left the one it had). */
    private Uni<Void> moved(Session session, OrganizationRole organization) {
        UUID now = organization == null ? null : UUID.fromString(organization.organizationId());
        if (Objects.equals(now, session.organizationId)) {
            return Uni.createFrom().voidItem();
        }
        session.organizationId = now;
        return rotations.moveTo(session.id, now);
    }

    /** A client's grant whose person left the organization they chose for it: over, never moved elsewhere. */
    private Uni<OrganizationRole> left(Session session) {
        return end(List.of(session.id), "organization_left").flatMap(ignored -> Uni.createFrom().failure(
                new ApiException(400, "organization_left", "The person is no longer a member of the organization "
                        + "this grant is for; ask them to authorize again")));
    }

    private Uni<Tokens> disabled(Session session) {
        return end(List.of(session.id), "account_disabled").flatMap(ignored -> Uni.createFrom()
                .failure(new ApiException(403, "account_disabled", "This account is disabled")));
    }

    /**
     * The reason a token that was not rotated is refused, read after the statement: a concurrent refresh, a logout
     * or the clock got there first. A token that reads as rotatable now raced another refresh: unknown.
     */
    private static Decision notRotated(Decision decision) {
        return decision == Decision.ROTATE || decision == Decision.GRACE ? Decision.UNKNOWN : decision;
    }

    private Uni<Tokens> refused(Decision decision, Presented found) {
        return switch (decision) {
            case ENDED -> Uni.createFrom().failure(new ApiException(401, "session_ended",
                    "This session has ended; sign in again"));
            case EXPIRED -> Uni.createFrom().failure(new ApiException(401, "session_expired",
                    "This session is older than " + config.sessions().lifetime().toHours() + " hours; sign in again"));
            case REUSE -> replayed(found.session());
            default -> Uni.createFrom().failure(invalidRefreshToken());
        };
    }

    private Decision decide(SessionRefreshTokens.Parsed parsed, Presented found) {
        if (found == null) {
            return Decision.UNKNOWN;
        }
        Session s = found.session();
        return SessionRefreshTokens.decide(parsed, s.refreshGeneration, s.refreshHash, s.refreshSiblingHashes,
                s.refreshPreviousHash, instant(s.refreshedAt), instant(s.refreshGraceUntil), instant(s.endedAt),
                s.expiresAt.toInstant(), java.time.Instant.now(), config.sessions().reuseGrace());
    }

    private Uni<Tokens> replayed(Session session) {
        Log.warnf("refresh token of session %s presented again after rotation: ending the session", session.id);
        return end(List.of(session.id), "refresh_token_reused").flatMap(ended -> Uni.createFrom().failure(
                new ApiException(401, "refresh_token_reused",
                        "This refresh token was already used; the session has been ended. Sign in again")));
    }

    /** Ends the session a refresh token belongs to (logout by refresh token); 401 for an unknown token. */
    public Uni<Void> logoutWithRefreshToken(String refreshToken) {
        // Any token this server issued for the session ends it: presenting an old one would end it anyway.
        UUID sid = sessionOf(refreshToken);
        if (sid == null) {
            return Uni.createFrom().failure(invalidRefreshToken());
        }
        return sessions.findById(sid).flatMap(session -> session == null
                ? Uni.createFrom().failure(invalidRefreshToken())
                : end(List.of(sid), "logout").replaceWithVoid());
    }

    /** The user's active sessions, most recently used first. */
    public Uni<List<Session>> list(String userId) {
        return sessions.activeOf(UUID.fromString(userId), now());
    }

    /** Ends one of the user's sessions; 404 when it is not theirs or not active. */
    public Uni<Void> endOwn(String userId, String sessionId, String reason) {
        UUID sid = uuid(sessionId);
        if (sid == null) {
            return Uni.createFrom().failure(ApiException.notFound("Session"));
        }
        return sessions.findById(sid).flatMap(session -> {
            if (session == null || !session.userId.toString().equals(userId) || session.endedAt != null) {
                return Uni.createFrom().failure(ApiException.notFound("Session"));
            }
            return end(List.of(sid), reason).replaceWithVoid();
        });
    }

    /** Ends every active session of a user, but {@code keep} (null: all). Returns how many ended. */
    public Uni<Integer> endAllOf(UUID userId, UUID keep, String reason) {
        return sessions.activeOf(userId, now().minusYears(100))
                .flatMap(list -> end(list.stream().map(s -> s.id).filter(id -> !id.equals(keep)).toList(), reason));
    }

    /** Ends the sessions acting in an organization (tenant-service: it was deleted, or a member left). */
    public Uni<Integer> endInOrganization(UUID organizationId, UUID userId, String reason) {
        return sessions.activeFor(userId, organizationId)
                .flatMap(list -> end(list.stream().map(s -> s.id).toList(), reason));
    }

    /**
     * Ends sessions and publishes each end, so every service refuses their access tokens at once. The database
     * is the record; publishing is best effort (instances that miss it resync from the database).
     */
    public Uni<Integer> end(List<UUID> ids, String reason) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // Published after the update, outside its transaction when this call opened it (Redis holds no connection).
        return markEnded(ids, reason).flatMap(ended -> ended.isEmpty() ? Uni.createFrom().item(0)
                : Uni.join().all(ended.stream().map(this::publish).toList()).andFailFast().replaceWith(ended.size()));
    }

    /**
     * Publishes the end of sessions marked ended by {@link #markEnded} in a transaction that has committed (a client
     * deleted or given a new secret ends its grants with the change itself).
     */
    Uni<Void> announceEnded(List<Session> ended) {
        return ended.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(ended.stream().map(this::publish).toList()).andFailFast().replaceWithVoid();
    }

    /** Marks the sessions among {@code ids} that are still active ended; returns them. */
    @WithTransaction
    Uni<List<Session>> markEnded(List<UUID> ids, String reason) {
        OffsetDateTime now = now();
        return sessions.find("id in ?1 and endedAt is null", ids).list().map(list -> {
            list.forEach(s -> {
                s.endedAt = now;
                s.endReason = reason;
            });
            return list;
        });
    }

    private Uni<Void> publish(Session session) {
        return revocations.publishSessionEnded(session.id.toString(), session.lastTokenExpiresAt.toEpochSecond())
                .onFailure().invoke(e -> Log.warnf("session %s ended but not published: %s", session.id, e))
                .onFailure().recoverWithNull();
    }

    private Tokens issue(User user, OrganizationRole organization, Session session, String refresh,
            ClientGrant grant) {
        SignedToken token = tokens.issue(user, organization, session.id.toString(), grant);
        return new Tokens(user, organization, session, token.compact(), tokens.ttl().toSeconds(), refresh);
    }

    /** The session a genuine refresh token names, or null (malformed, forged). */
    public UUID sessionOf(String refreshToken) {
        SessionRefreshTokens.Parsed parsed = refreshTokens.parse(refreshToken);
        return parsed == null ? null : parsed.sessionId();
    }

    /**
     * What introspection says of a refresh token: the session, when the token is one of its
     * current ones and the session is live; else null.
     */
    public Uni<Session> currentSessionOf(String refreshToken) {
        SessionRefreshTokens.Parsed parsed = refreshTokens.parse(refreshToken);
        if (parsed == null) {
            return Uni.createFrom().nullItem();
        }
        return rotations.findSession(parsed.sessionId())
                .map(found -> decide(parsed, found) == Decision.ROTATE ? found.session() : null);
    }

    static String hex(String secret) {
        return Secrets.sha256Hex(secret);
    }

    /** The refresh token of a session granted to an OAuth client, presented at {@code POST /v1/auth/refresh}. */
    private static ApiException useTokenEndpoint() {
        return new ApiException(400, "use_token_endpoint", "This refresh token was issued to an OAuth client; refresh"
                + " it at POST /v1/oauth/token with grant_type=refresh_token and the client's authentication");
    }

    private static ApiException invalidRefreshToken() {
        return new ApiException(401, "invalid_refresh_token", "The refresh token is not valid");
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static java.time.Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
