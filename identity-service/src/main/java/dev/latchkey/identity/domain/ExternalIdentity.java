package dev.latchkey.identity.domain;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A person's identity at an upstream provider or external issuer: (issuer, subject) → user. */
@Entity
@Table(name = "external_identities", schema = "identity")
@IdClass(ExternalIdentity.Key.class)
public class ExternalIdentity {

    @Id
    public String issuer;
    @Id
    public String subject;
    @Column(name = "user_id")
    public UUID userId;
    public String email;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "last_used_at")
    public OffsetDateTime lastUsedAt;

    public static class Key implements Serializable {
        public String issuer;
        public String subject;

        public Key() {
        }

        public Key(String issuer, String subject) {
            this.issuer = issuer;
            this.subject = subject;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(issuer, k.issuer) && Objects.equals(subject, k.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(issuer, subject);
        }
    }

    @Override
    public String toString() {
        return "ExternalIdentity[" + issuer + "]";
    }
}
