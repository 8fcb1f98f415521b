package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A device authorization (RFC 8628) by the hex SHA-256 of its device code (see V11__device_authorization.sql). */
@Entity
@Table(name = "device_authorizations", schema = "identity")
public class DeviceAuthorization {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String DENIED = "denied";
    public static final String USED = "used";

    @Id
    @Column(name = "device_code_hash")
    public String deviceCodeHash;
    @Column(name = "user_code")
    public String userCode;
    @Column(name = "client_id")
    public String clientId;
    public String scopes;
    public String host;
    public String status;
    @Column(name = "user_id")
    public UUID userId;
    @Embedded
    public ChosenOrganization organization = new ChosenOrganization();
    @Column(name = "auth_time")
    public OffsetDateTime authTime;
    @Column(name = "interval_seconds")
    public int intervalSeconds;
    @Column(name = "last_polled_at")
    public OffsetDateTime lastPolledAt;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Override
    public String toString() {
        return "DeviceAuthorization[client=" + clientId + ", " + status + "]";
    }
}
