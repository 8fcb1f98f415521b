package dev.latchkey.identity.repository;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.domain.User;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The refresh hot path in plain reactive SQL: two statements per refresh instead of Hibernate Reactive's ten round
 * trips (three finds, then BEGIN, a locking select, a select, an insert, two updates and COMMIT). bench/identity
 * measured the Panache version at a few percent of the client-credentials rate; the rest of the session model
 * stays in Panache entities ({@link Session}, {@link dev.latchkey.identity.domain.RefreshToken}).
 */
@ApplicationScoped
public class RefreshRotations {

    /** A presented refresh token with its session and user, as read (the entities are detached copies). */
    public record Presented(OffsetDateTime rotatedAt, Session session, User user) {
    }

    private static final String FIND = "select t.rotated_at, s.id as s_id, s.user_id, s.organization_id, s.created_at"
            + " as s_created_at, s.last_used_at, s.expires_at, s.last_token_expires_at, s.ended_at, s.end_reason,"
            + " s.user_agent, s.client_address, u.email, u.name, u.email_verified_at, u.status, u.approved_at,"
            + " u.last_organization_id, u.created_at as u_created_at, u.updated_at"
            + " from identity.refresh_tokens t join identity.sessions s on s.id = t.session_id"
            + " join identity.users u on u.id = s.user_id where t.token_hash = $1";

    /**
     * One statement, atomic: marks the presented token rotated (unless it already was, within the grace window),
     * touches the session if it is still live, and stores the new token's hash. Two refreshes racing on one token
     * serialise on its row; the second re-checks the conditions after the first committed.
     */
    private static final String ROTATE = "with old as (update identity.refresh_tokens"
            + " set rotated_at = coalesce(rotated_at, $4) where token_hash = $1 and session_id = $3"
            + " and (rotated_at is null or rotated_at > $5) returning session_id),"
            + " live as (update identity.sessions set last_used_at = $4, last_token_expires_at = $6,"
            + " organization_id = $7, user_agent = coalesce($8, user_agent),"
            + " client_address = coalesce($9, client_address)"
            + " where id = (select session_id from old) and ended_at is null and expires_at > $4 returning id)"
            + " insert into identity.refresh_tokens (token_hash, session_id, created_at) select $2, id, $4 from live";

    private final Pool pool;

    public RefreshRotations(Pool pool) {
        this.pool = pool;
    }

    /** The token with its session and user, or null when no such token is stored. */
    public Uni<Presented> find(String tokenHash) {
        return pool.preparedQuery(FIND).execute(Tuple.of(tokenHash)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            Session session = new Session();
            session.id = row.getUUID("s_id");
            session.userId = row.getUUID("user_id");
            session.organizationId = row.getUUID("organization_id");
            session.createdAt = row.getOffsetDateTime("s_created_at");
            session.lastUsedAt = row.getOffsetDateTime("last_used_at");
            session.expiresAt = row.getOffsetDateTime("expires_at");
            session.lastTokenExpiresAt = row.getOffsetDateTime("last_token_expires_at");
            session.endedAt = row.getOffsetDateTime("ended_at");
            session.endReason = row.getString("end_reason");
            session.userAgent = row.getString("user_agent");
            session.clientAddress = row.getString("client_address");
            User user = new User();
            user.id = session.userId;
            user.email = row.getString("email");
            user.name = row.getString("name");
            user.emailVerifiedAt = row.getOffsetDateTime("email_verified_at");
            user.status = row.getString("status");
            user.approvedAt = row.getOffsetDateTime("approved_at");
            user.lastOrganizationId = row.getUUID("last_organization_id");
            user.createdAt = row.getOffsetDateTime("u_created_at");
            user.updatedAt = row.getOffsetDateTime("updated_at");
            return new Presented(row.getOffsetDateTime("rotated_at"), session, user);
        });
    }

    /**
     * Rotates {@code tokenHash} to {@code freshHash} when the token is current (or was rotated after
     * {@code graceStart}) and its session is live at {@code now}. The session's values are taken from
     * {@code session}: organization, token expiry, and agent and address unless null.
     *
     * @return whether it rotated; false when the token, its session or the grace window did not allow it
     */
    public Uni<Boolean> rotate(String tokenHash, String freshHash, Session session, OffsetDateTime now,
            OffsetDateTime graceStart) {
        return pool.preparedQuery(ROTATE).execute(Tuple.from(new Object[] { tokenHash, freshHash, session.id, now,
                graceStart, session.lastTokenExpiresAt, session.organizationId, session.userAgent,
                session.clientAddress }))
                .map(rows -> rows.rowCount() == 1);
    }
}
