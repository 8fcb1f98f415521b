package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.OutboxMail;
import dev.latchkey.identity.repository.OutboxRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Mail leaves through a transactional outbox: {@link #enqueue} writes it in the same transaction as what caused
 * it (an account, a reset request), and a scheduled sender delivers it over SMTP with exponential backoff.
 * SMTP being down loses nothing and slows nothing; several instances share the outbox (rows are claimed with
 * SKIP LOCKED), and a sent mail's body is cleared, since it may hold a single-use link.
 */
@ApplicationScoped
public class MailOutbox {

    private static final int BATCH = 20;

    private final OutboxRepository outbox;
    private final ReactiveMailer mailer;
    private final IdentityConfig.Mail config;

    public MailOutbox(OutboxRepository outbox, ReactiveMailer mailer, IdentityConfig config) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.config = config.mail();
    }

    /** Queues a mail; call inside the transaction of the change it belongs to. */
    public Uni<Void> enqueue(String recipient, String subject, String text) {
        OutboxMail mail = new OutboxMail();
        mail.recipient = recipient;
        mail.subject = subject;
        mail.textBody = text;
        mail.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        mail.nextAttemptAt = mail.createdAt;
        return outbox.persist(mail).replaceWithVoid();
    }

    @Scheduled(every = "${latchkey.identity.mail.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    Uni<Void> drain() {
        return sendDue()
                .onFailure().invoke(e -> Log.debugf("mail outbox not drained this round: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    /** Sends the mail due now, its rows locked until the outcomes are written. */
    @WithTransaction
    Uni<Void> sendDue() {
        return outbox.lockDue(BATCH, config.maxAttempts())
                .flatMap(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::send)
                        .collect().asList().replaceWithVoid());
    }

    private Uni<Void> send(OutboxMail mail) {
        return mailer.send(Mail.withText(mail.recipient, mail.subject, mail.textBody))
                .map(ignored -> {
                    mail.sentAt = OffsetDateTime.now(ZoneOffset.UTC);
                    mail.textBody = "";
                    mail.htmlBody = null;
                    mail.lastError = null;
                    return (Void) null;
                })
                .onFailure().recoverWithItem(e -> {
                    mail.attempts++;
                    // 2 s, 4 s, 8 s … up to an hour between attempts.
                    long delay = Math.min(3600, 1L << Math.min(12, mail.attempts));
                    mail.nextAttemptAt = OffsetDateTime.now(ZoneOffset.UTC).plus(Duration.ofSeconds(delay));
                    mail.lastError = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage());
                    if (mail.lastError.length() > 500) {
                        mail.lastError = mail.lastError.substring(0, 500);
                    }
                    Log.warnf("mail %d not sent (attempt %d, next in %d s): %s", mail.id, mail.attempts, delay,
                            e.toString());
                    return null;
                });
    }

    /** How many mails wait (for health and tests). */
    public Uni<Long> pending() {
        return outbox.count("sentAt is null");
    }

}
