package dev.latchkey.common.auth;

import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * Where {@link Revocations} learns which sessions have ended, and which tokens were revoked, when it cannot rely on Redis pub/sub alone: at
 * (re)subscription, and per request while the subscription is lost. identity-service owns sessions; by
 * default this asks it over HTTP ({@code dev.latchkey.common.client.RemoteSessionStatusLookup}), and identity
 * replaces the bean with one that reads its own database.
 */
public interface SessionStatusLookup {

    /** 0 when session {@code sid} is active; else the epoch second until which its tokens must be refused. */
    Uni<Long> denyUntil(String sid);

    /** Sessions ended since {@code epochSecond}, each with the epoch second until which to refuse its tokens. */
    Uni<Map<String, Long>> endedSince(long epochSecond);

    /**
     * Access tokens revoked by id and clients revoked (deleted, secret rotated) since {@code epochSecond}, those still
     * worth refusing: identity's PostgreSQL record, reloaded at every resync.
     */
    Uni<DeniedTokens.Denied> deniedSince(long epochSecond);

    /**
     * 0 when the token {@code jti}, issued to {@code clientId} (null: none that can be revoked) at {@code issuedAt},
     * is not revoked; else the epoch second until which it must be refused.
     */
    Uni<Long> tokenDenyUntil(String jti, String clientId, long issuedAt);
}
