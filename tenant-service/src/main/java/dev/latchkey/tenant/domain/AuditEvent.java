package dev.latchkey.tenant.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * One line of an organization's audit log. Append-only: the entity is immutable to Hibernate and the table
 * refuses UPDATE, DELETE and TRUNCATE (a trigger).
 */
@Entity
@Immutable
@Table(name = "audit_events", schema = "tenant")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "organization_id")
    public UUID organizationId;

    /** {@code user}, {@code api_key}, {@code service} or {@code anonymous}. */
    @Column(name = "actor_type")
    public String actorType;

    @Column(name = "actor_id")
    public String actorId;

    @Column(name = "actor_email")
    public String actorEmail;

    /** Dotted: {@code member.role_changed}, {@code api_key.revoked}. */
    public String action;

    @Column(name = "target_type")
    public String targetType;

    @Column(name = "target_id")
    public String targetId;

    @Column(name = "target_name")
    public String targetName;

    /** A JSON object, or null. */
    public String metadata;

    @Column(name = "client_address")
    public String clientAddress;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    @Column(name = "source_event_id")
    public String sourceEventId;
}
