package dev.latchkey.tenant.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Work that must happen once a change has committed: a mail to send, a call to another service. Written in the
 * change's transaction, delivered by {@code OutboxSender}, retried with backoff until it succeeds.
 */
@Entity
@Table(name = "outbox", schema = "tenant")
public class OutboxMessage {

    /** Send the invitation mail (payload: the invitation id). */
    public static final String INVITATION_MAIL = "invitation.mail";
    /** Revoke every API key of an organization at apikey-service (payload: organization id). */
    public static final String REVOKE_API_KEYS = "apikeys.revoke";
    /** End sessions at identity-service (payload: organization id and, optionally, a user id). */
    public static final String END_SESSIONS = "sessions.end";
    /**
     * Tell every Latchkey instance, through Redis, that memberships changed, so caches of them (identity's, read at
     * every refresh) drop it (payload: {@code user_id} or {@code organization_id}).
     */
    public static final String MEMBERSHIPS_CHANGED = "memberships.changed";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String kind;

    /** JSON. */
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
