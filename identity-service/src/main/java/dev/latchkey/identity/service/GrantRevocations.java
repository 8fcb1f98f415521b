package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.DeniedTokens;
import dev.latchkey.common.auth.Revocations;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.RevokedClient;
import dev.latchkey.identity.domain.RevokedToken;
import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.repository.OAuthSessionRepository;
import dev.latchkey.identity.repository.RevokedClientRepository;
import dev.latchkey.identity.repository.RevokedTokenRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Revocations that no session end expresses (issue 23, items 10 and 1): a client-credentials access token revoked by
 * id (RFC 7009), and a client deleted or given a new secret, which ends every person session granted to it and
 * refuses every token issued to it until then. Written to PostgreSQL, the record every service reloads at its
 * resync; announced on the revocation channel only after the commit, best effort, as session ends are. Nothing is
 * written when a token is issued: the client-credentials grant stays free of database work (bench/README).
 */
@ApplicationScoped
public class GrantRevocations {

    /** What a client's revocation ended, to announce once its transaction has committed. */
    public record ClientRevoked(String clientId, long revokedAt, long denyUntil, List<Session> sessions) {
        @Override
        public String toString() {
            return "ClientRevoked[" + clientId + ", " + sessions.size() + " sessions]";
        }
    }

    /** Rows are kept a while past their deny-until, for an operator's look; then the next revocation deletes them. */
    private static final Duration KEEP = Duration.ofDays(1);

    private final RevokedTokenRepository tokens;
    private final RevokedClientRepository clients;
    private final OAuthSessionRepository grants;
    private final SessionService sessions;
    private final Revocations revocations;
    private final Duration longestTokenTtl;

    public GrantRevocations(RevokedTokenRepository tokens, RevokedClientRepository clients,
            OAuthSessionRepository grants, SessionService sessions, Revocations revocations, IdentityConfig config) {
        this.tokens = tokens;
        this.clients = clients;
        this.grants = grants;
        this.sessions = sessions;
        this.revocations = revocations;
        this.longestTokenTtl = config.accessTokenTtl().compareTo(config.serviceTokenTtl()) >= 0
                ? config.accessTokenTtl() : config.serviceTokenTtl();
    }

    /** Revokes an access token without a session (a service's): refused everywhere until it expires. */
    public Uni<Void> revokeToken(VerifiedToken token) {
        long until = token.getExpirationTime();
        return recordToken(token.getTokenID(), DeniedTokens.clientOf(token), until)
                .chain(() -> announce(revocations.publishTokenRevoked(token.getTokenID(), until), token.getTokenID()));
    }

    @WithTransaction
    Uni<Void> recordToken(String jti, String clientId, long until) {
        OffsetDateTime now = SessionService.now();
        return tokens.deleteExpired(now.minus(KEEP)).chain(() -> tokens.findById(jti)).chain(known -> {
            if (known != null) {
                return Uni.createFrom().voidItem();
            }
            RevokedToken row = new RevokedToken();
            row.jti = jti;
            row.clientId = clientId == null ? "" : clientId;
            row.revokedAt = now;
            row.denyUntil = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(until), java.time.ZoneOffset.UTC);
            return tokens.persist(row).replaceWithVoid();
        });
    }

    /**
     * Ends what {@code clientId} was granted, inside the transaction that deletes the client or replaces its secret
     * (so no refresh slips in between): its active person sessions end, and the tokens issued to it until now are
     * recorded as refused for the longest access-token lifetime. {@link #announce(ClientRevoked)} after the commit.
     */
    @WithTransaction
    public Uni<ClientRevoked> endGrants(String clientId, String reason) {
        OffsetDateTime now = SessionService.now();
        RevokedClient row = new RevokedClient();
        row.clientId = clientId;
        row.revokedAt = now;
        row.denyUntil = now.plus(longestTokenTtl);
        row.reason = reason;
        return clients.deleteExpired(now.minus(KEEP))
                .chain(() -> clients.persist(row))
                .chain(() -> grants.activeSessionsOf(clientId))
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Session>of()) : sessions.markEnded(ids, reason))
                .map(ended -> new ClientRevoked(clientId, now.toEpochSecond(), row.denyUntil.toEpochSecond(), ended));
    }

    /** Announces a committed client revocation: the client's denial, then each session's end. */
    public Uni<Void> announce(ClientRevoked revoked) {
        return announce(revocations.publishClientRevoked(revoked.clientId(), revoked.revokedAt(), revoked.denyUntil()),
                revoked.clientId()).chain(() -> sessions.announceEnded(revoked.sessions()));
    }

    private static Uni<Void> announce(Uni<Void> publish, String what) {
        // PostgreSQL holds the revocation: an instance that misses the announcement reloads it when it resyncs.
        return publish.onFailure().invoke(e -> Log.warnf("%s revoked but not announced: %s", what, e.toString()))
                .onFailure().recoverWithNull();
    }
}
