package dev.latchkey.identity.domain;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A mail waiting to be sent (transactional outbox). */
@Entity
@Table(name = "mail_outbox", schema = "identity")
public class OutboxMail {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String recipient;
    public String subject;
    @Column(name = "text_body")
    public String textBody;
    @Column(name = "html_body")
    public String htmlBody;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    public int attempts;
    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;
    @Column(name = "sent_at")
    public OffsetDateTime sentAt;
    @Column(name = "last_error")
    public String lastError;

    @Override
    public String toString() {
        return "OutboxMail[" + id + "]";
    }
}
