package dev.latchkey.identity.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.DeniedTokens;
import dev.latchkey.common.auth.Revocations;
import dev.latchkey.common.auth.Scopes;
import dev.latchkey.common.auth.TokenVerifier;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.config.IdentityConfig.ServiceClient;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.session.SessionRefreshTokens;
import io.smallrye.mutiny.Uni;

/**
 * Introspection (RFC 7662), revocation (RFC 7009) and userinfo.
 * <p>
 * Hot path: introspecting an access token is measured against Keycloak in bench/run (bench/oauth). A resource server
 * introspects the same token many times, so after the first call it costs a SHA-256 of the token and a cache
 * lookup ({@link TokenVerifier}), an in-memory session check ({@link Revocations}, kept current through Redis) and
 * the client's authentication (a map or cache lookup and a constant-time digest comparison): no database, no
 * signature, on the event loop.
 */
@ApplicationScoped
public class TokenIntrospection {

    /** Who introspects or revokes: a registered client or a configured service client (the operator's, say). */
    public record Introspector(String clientId, boolean serviceClient) {
    }

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final ClientRegistry clients;
    private final IdentityConfig config;
    private final TokenVerifier verifier;
    private final Revocations revocations;
    private final UserRepository users;
    private final AuthorizationService authorizations;
    private final SessionService sessions;
    private final GrantRevocations grants;

    public TokenIntrospection(ClientRegistry clients, IdentityConfig config, TokenVerifier verifier,
            Revocations revocations, UserRepository users,
            AuthorizationService authorizations, SessionService sessions, GrantRevocations grants) {
        this.grants = grants;
        this.clients = clients;
        this.config = config;
        this.verifier = verifier;
        this.revocations = revocations;
        this.users = users;
        this.authorizations = authorizations;
        this.sessions = sessions;
    }

    /** A configured service client (resource servers: Latchkey's services) or a registered confidential client. */
    public Uni<Introspector> authenticate(String clientId, String secret) {
        ServiceClient service = clientId == null ? null : config.clients().get(clientId);
        if (service != null) {
            if (!Secrets.constantTimeEquals(service.secret(), secret == null ? "" : secret)) {
                return Uni.createFrom().failure(OAuthProblem.invalidClient());
            }
            return Uni.createFrom().item(new Introspector(clientId, true));
        }
        return clients.authenticate(clientId, secret).map(client -> {
            if (client.isPublic()) {
                // RFC 7662 §2.1: the endpoint must be protected; a public client proves nothing.
                throw OAuthProblem.invalidClient();
            }
            return new Introspector(client.id(), false);
        });
    }

    /**
     * Revocation authenticates as introspection does (a configured service client may revoke what it may
     * introspect), and also admits public clients: RFC 7009 lets them revoke their own grants by client_id.
     */
    public Uni<Introspector> authenticateRevoker(String clientId, String secret) {
        if (clientId != null && config.clients().containsKey(clientId)) {
            return authenticate(clientId, secret);
        }
        return clients.authenticate(clientId, secret).map(client -> new Introspector(client.id(), false));
    }

    public Uni<Map<String, Object>> introspect(Introspector who, String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return Uni.createFrom().item(INACTIVE);
        }
        if (SessionRefreshTokens.looksLike(token)) {
            return refreshToken(who, token);
        }
        VerifiedToken known = verifier.remembered(token);
        if (known != null) {
            Map<String, Object> now = accessTokenNow(known);
            if (now != null) {
                return Uni.createFrom().item(now);
            }
        }
        Uni<VerifiedToken> verified = known != null ? Uni.createFrom().item(known) : verifier.verify(token);
        return verified.flatMap(t -> {
            Map<String, Object> now = accessTokenNow(t);
            if (now != null) {
                return Uni.createFrom().item(now);
            }
            Uni<Boolean> active = t.sessionId() != null ? revocations.sessionActiveAtSource(t.sessionId())
                    : revocations.tokenActiveAtSource(t);
            return active.map(yes -> yes ? describe(t) : INACTIVE);
        }).onFailure(ApiException.class).recoverWithItem(INACTIVE);
    }

    /** The answer when it needs no I/O; null when the session or the token must be checked at its source. */
    private Map<String, Object> accessTokenNow(VerifiedToken t) {
        if (t.getExpirationTime() <= java.time.Instant.now().getEpochSecond()) {
            return INACTIVE;
        }
        if (t.keyId() != null && revocations.keyDenied(t.keyId())) {
            return INACTIVE;
        }
        if (t.sessionId() == null && t.keyId() == null) {
            if (revocations.tokenDenied(t)) {
                return INACTIVE;
            }
            if (!revocations.trusted()) {
                return null;
            }
        }
        if (t.sessionId() != null) {
            switch (revocations.session(t.sessionId())) {
                case ENDED:
                    return INACTIVE;
                case UNKNOWN:
                    return null;
                default:
                    break;
            }
        }
        return describe(t);
    }

    private static Map<String, Object> describe(VerifiedToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("token_type", "Bearer");
        out.put("scope", String.join(" ", t.scopes()));
        out.put("sub", t.getSubject());
        out.put("iss", t.getIssuer());
        out.put("aud", t.getAudience());
        out.put("exp", t.getExpirationTime());
        out.put("iat", t.getIssuedAtTime());
        out.put("jti", t.getTokenID());
        out.put("token_use", t.tokenUse());
        if (t.clientId() != null) {
            out.put("client_id", t.clientId());
        }
        if (t.tenantId() != null) {
            out.put("tenant_id", t.tenantId());
        }
        if (!t.roles().isEmpty()) {
            out.put("roles", t.roles().stream().map(r -> r.value()).toList());
        }
        if (t.sessionId() != null) {
            out.put("sid", t.sessionId());
        }
        if (t.email() != null) {
            out.put("username", t.email());
            out.put("email", t.email());
        }
        if (t.keyId() != null) {
            out.put("key_id", t.keyId());
        }
        return out;
    }

    private Uni<Map<String, Object>> refreshToken(Introspector who, String token) {
        return sessions.currentSessionOf(token).flatMap(session -> session == null
                ? Uni.createFrom().item(INACTIVE)
                : authorizations.grantOf(session.id).map(grant -> {
                    // A refresh token is only described to the client it was issued to.
                    if (grant == null || !grant.clientId.equals(who.clientId())) {
                        return INACTIVE;
                    }
                    return describe(grant, session, session.refreshedAt != null ? session.refreshedAt : session.createdAt);
                }));
    }

    /** RFC 7662's answer for an active refresh token of {@code session}, issued at {@code issuedAt}. */
    private static Map<String, Object> describe(dev.latchkey.identity.domain.OAuthSession grant,
            dev.latchkey.identity.domain.Session session, java.time.OffsetDateTime issuedAt) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("token_type", "refresh_token");
        out.put("client_id", grant.clientId);
        out.put("scope", String.join(" ", OAuthScopes.granted(grant.scopes)));
        out.put("sub", session.userId.toString());
        out.put("sid", session.id.toString());
        out.put("iat", issuedAt.toEpochSecond());
        out.put("exp", session.expiresAt.toEpochSecond());
        return out;
    }

    /**
     * Revokes a refresh or access token of {@code who}: its session ends and the end is published. A
     * client-credentials access token, which has no session, is revoked by its id ({@link GrantRevocations}) when
     * {@code who} is its client or an operator (a configured client holding {@code internal:admin}). Unknown
     * tokens and tokens of other clients are left alone, answered alike (RFC 7009 §2.2).
     */
    public Uni<Void> revoke(Introspector who, String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return Uni.createFrom().failure(OAuthProblem.invalidRequest("token is required"));
        }
        Uni<UUID> sessionId;
        if (SessionRefreshTokens.looksLike(token)) {
            sessionId = Uni.createFrom().item(sessions.sessionOf(token));
        } else {
            sessionId = verifier.verify(token).flatMap(t -> {
                if (t.sessionId() == null && t.keyId() == null) {
                    Uni<Void> revoked = mayRevoke(who, t) ? grants.revokeToken(t) : Uni.createFrom().voidItem();
                    return revoked.replaceWith((UUID) null);
                }
                return Uni.createFrom().item(SessionService.uuid(t.sessionId()));
            }).onFailure(e -> e instanceof ApiException && !(e instanceof OAuthProblem)).recoverWithNull();
        }
        return sessionId.flatMap(sid -> authorizations.grantOf(sid).flatMap(grant -> {
            if (grant == null || !grant.clientId.equals(who.clientId())) {
                return Uni.createFrom().voidItem();
            }
            return sessions.end(List.of(sid), "revoked").replaceWithVoid();
        }));
    }

    /** A service's token is revoked by its own client or by an operator; anyone else is answered as for a stranger's. */
    private boolean mayRevoke(Introspector who, VerifiedToken token) {
        if (!who.serviceClient()) {
            return false;
        }
        ServiceClient client = config.clients().get(who.clientId());
        return who.clientId().equals(DeniedTokens.clientOf(token))
                || client != null && client.scopes().contains(Scopes.ADMIN);
    }

    /** OpenID Connect userinfo: the claims the session's scopes allow (all of them for a password sign-in). */
    public Uni<Map<String, Object>> userinfo(VerifiedToken caller) {
        UUID id = UUID.fromString(caller.userId());
        return authorizations.grantOf(SessionService.uuid(caller.sessionId())).flatMap(grant -> users.findById(id)
                .map(user -> {
                    if (user == null) {
                        throw ApiException.authRequired();
                    }
                    List<String> scopes = grant == null ? OAuthScopes.SUPPORTED : OAuthScopes.granted(grant.scopes);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("sub", user.id.toString());
                    if (scopes.contains(OAuthScopes.EMAIL)) {
                        out.put("email", user.email);
                        out.put("email_verified", user.emailVerified());
                    }
                    if (scopes.contains(OAuthScopes.PROFILE)) {
                        out.put("name", user.name);
                    }
                    if (caller.tenantId() != null) {
                        out.put("tenant_id", caller.tenantId());
                    }
                    return out;
                }));
    }
}
