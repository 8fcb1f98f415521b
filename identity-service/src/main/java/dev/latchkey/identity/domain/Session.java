package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One sign-in of a user: its {@code id} is the {@code sid} of every access token it issues. */
@Entity
@Table(name = "sessions", schema = "identity")
public class Session {

    @Id
    public UUID id;
    @Column(name = "user_id")
    public UUID userId;
    @Column(name = "organization_id")
    public UUID organizationId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "last_used_at")
    public OffsetDateTime lastUsedAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    @Column(name = "last_token_expires_at")
    public OffsetDateTime lastTokenExpiresAt;
    @Column(name = "ended_at")
    public OffsetDateTime endedAt;
    @Column(name = "end_reason")
    public String endReason;
    @Column(name = "user_agent")
    public String userAgent;
    @Column(name = "client_address")
    public String clientAddress;
    /**
     * Refresh state of the session, which its refresh tokens name (SessionRefreshTokens). Written
     * when the session is created and then only by RefreshRotations' own statements, never by Hibernate: an entity
     * loaded before a rotation and flushed after it would otherwise put the rotated token back.
     */
    @Column(name = "refresh_generation", updatable = false)
    public Integer refreshGeneration;
    @Column(name = "refresh_hash", updatable = false)
    public String refreshHash;
    /** Read by RefreshRotations' own SQL only (a text[]): Hibernate neither writes nor reads it. */
    @jakarta.persistence.Transient
    public String[] refreshSiblingHashes;
    @Column(name = "refresh_previous_hash", updatable = false)
    public String refreshPreviousHash;
    @Column(name = "refreshed_at", updatable = false)
    public OffsetDateTime refreshedAt;
    /** Until when the token rotated last stays accepted because its successor was never delivered; usually null. */
    @Column(name = "refresh_grace_until", updatable = false)
    public OffsetDateTime refreshGraceUntil;

    public boolean active(OffsetDateTime now) {
        return endedAt == null && now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Session[" + id + "]";
    }
}
