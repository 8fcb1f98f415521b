package dev.latchkey.tenant.service;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.auth.Revocations;
import dev.latchkey.tenant.client.ApiKeyClient;
import dev.latchkey.tenant.client.IdentityClient;
import dev.latchkey.tenant.config.TenantConfig;
import dev.latchkey.tenant.domain.Invitation;
import dev.latchkey.tenant.domain.Organization;
import dev.latchkey.tenant.domain.OutboxMessage;
import dev.latchkey.tenant.domain.UserProfile;
import dev.latchkey.tenant.policy.InvitationTokens;
import dev.latchkey.tenant.repository.InvitationRepository;
import dev.latchkey.tenant.repository.OrganizationRepository;
import dev.latchkey.tenant.repository.OutboxRepository;
import dev.latchkey.tenant.repository.UserRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Delivers the outbox: invitation mail over SMTP, key revocation at apikey-service, session ends at
 * identity-service, membership changes on the revocation channel (Redis). Every instance polls (and is kicked
 * right after a change commits); rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} and leased, so replicas share the work without delivering a row twice at once.
 * A failed delivery is retried with exponential backoff (with jitter, capped) for as long as it takes: nothing
 * written to the outbox is dropped. Delivery is at least once: a crash between delivering and marking a row
 * delivered repeats it, which every kind tolerates (a repeated revoke or session end changes nothing; a repeated
 * invitation mail carries a fresh token that replaces the earlier one).
 * <p>
 * Three transactions per row, each a {@code @WithTransaction} method: the claim commits before anything is sent
 * (so the lease holds while the remote call runs, no row lock is held across it), and the outcome is recorded in
 * one of its own afterwards.
 */
@ApplicationScoped
public class OutboxSender {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final OutboxRepository outbox;
    private final InvitationRepository invitations;
    private final OrganizationRepository organizations;
    private final UserRepository users;
    private final ApiKeyClient apiKeys;
    private final IdentityClient identity;
    private final Revocations revocations;
    private final ReactiveMailer mailer;
    private final TenantConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public OutboxSender(OutboxRepository outbox, InvitationRepository invitations, OrganizationRepository organizations,
            UserRepository users, ApiKeyClient apiKeys, IdentityClient identity, Revocations revocations, ReactiveMailer mailer,
            TenantConfig config, ObjectMapper json, Vertx vertx) {
        this.outbox = outbox;
        this.invitations = invitations;
        this.organizations = organizations;
        this.users = users;
        this.apiKeys = apiKeys;
        this.identity = identity;
        this.revocations = revocations;
        this.mailer = mailer;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
    }

    @Scheduled(every = "${latchkey.tenant.outbox.poll:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return drain();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetDelivered() {
        return forgetDeliveredBefore(Instant.now().minus(config.outbox().keepDelivered()))
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    @WithTransaction
    Uni<Long> forgetDeliveredBefore(Instant before) {
        return outbox.forgetDeliveredBefore(before);
    }

    /** Delivers now rather than at the next poll: called right after a change that wrote to the outbox commits. */
    public void kick() {
        // A context of its own: the request that kicked may end (and its Hibernate session close) meanwhile.
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> drain().subscribe().with(done -> {
        }, e -> Log.warnf("outbox delivery failed: %s", e.toString())));
    }

    /**
     * Publishes that a user's memberships changed, before the request that changed them answers: identity-service
     * drops what it cached, so the caller's next refresh reads the new roles (the sessions issue's "re-read at every
     * refresh"), rather than whenever the outbox row is delivered. The outbox row, written in the change's
     * transaction, still publishes it again (harmless), so a failure here costs only the wait for the outbox; it is
     * logged and never fails the request.
     */
    public Uni<Void> announceUser(UUID userId) {
        return announce("user " + userId);
    }

    /** As {@link #announceUser}, for a change that concerns every member of an organization (renamed, deleted). */
    public Uni<Void> announceOrganization(UUID organizationId) {
        return announce("organization " + organizationId);
    }

    private Uni<Void> announce(String subject) {
        return revocations.publishMembershipChanged(subject).replaceWithVoid()
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onFailure().invoke(e -> Log.warnf("announcing membership change of %s failed, the outbox will: %s",
                        subject, e.toString()))
                .onFailure().recoverWithNull();
    }

    /** Claims and delivers due rows until none is due; one drain at a time per instance. */
    Uni<Void> drain() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().voidItem();
        }
        again.set(false);
        return Uni.createFrom().deferred(this::drainBatches)
                .eventually(() -> running.set(false))
                .flatMap(ignored -> again.getAndSet(false) ? drain() : Uni.createFrom().voidItem());
    }

    private Uni<Void> drainBatches() {
        int size = config.outbox().batchSize();
        return claim(size)
                .flatMap(batch -> batch.isEmpty() ? Uni.createFrom().voidItem()
                        : Multi.createFrom().iterable(batch).onItem().transformToUniAndConcatenate(this::deliver)
                                .collect().last()
                                .flatMap(ignored -> batch.size() == size ? drainBatches() : Uni.createFrom().voidItem()));
    }

    @WithTransaction
    Uni<List<OutboxMessage>> claim(int size) {
        return outbox.claim(size, config.outbox().lease());
    }

    @WithTransaction
    Uni<Integer> markDelivered(long id, String kept) {
        return outbox.delivered(id, kept);
    }

    @WithTransaction
    Uni<Integer> markFailed(long id, Duration retryIn, String error) {
        return outbox.failed(id, retryIn, error);
    }

    private Uni<Void> deliver(OutboxMessage message) {
        Uni<String> delivered;
        try {
            Map<String, String> payload = payload(message);
            delivered = switch (message.kind) {
                case OutboxMessage.INVITATION_MAIL -> sendInvitation(UUID.fromString(payload.get("invitation_id")));
                case OutboxMessage.REVOKE_API_KEYS -> apiKeys.revokeAll(UUID.fromString(payload.get("organization_id")))
                        .map(n -> message.payload);
                case OutboxMessage.END_SESSIONS -> identity.endSessions(UUID.fromString(payload.get("organization_id")),
                        payload.get("user_id") == null ? null : UUID.fromString(payload.get("user_id")))
                        .map(n -> message.payload);
                case OutboxMessage.MEMBERSHIPS_CHANGED -> revocations.publishMembershipChanged(
                        payload.containsKey("user_id") ? "user " + UUID.fromString(payload.get("user_id"))
                                : "organization " + UUID.fromString(payload.get("organization_id")))
                        .map(ignored -> message.payload);
                default -> Uni.createFrom().failure(new IllegalStateException("unknown outbox kind " + message.kind));
            };
        } catch (RuntimeException | JsonProcessingException e) {
            delivered = Uni.createFrom().failure(e);
        }
        return delivered
                .flatMap(kept -> markDelivered(message.id, kept))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    Duration retryIn = backoff(message.attempts);
                    Log.warnf("outbox %d (%s) attempt %d failed, retrying in %s: %s", message.id, message.kind,
                            message.attempts, retryIn, e.getMessage());
                    return markFailed(message.id, retryIn, describe(e))
                            .replaceWithVoid()
                            .onFailure().invoke(f -> Log.errorf("outbox %d: recording the failure failed: %s", message.id, f))
                            .onFailure().recoverWithNull();
                });
    }

    /**
     * Makes the invitation's token and sends its mail. The token is made here, just before the mail leaves, and
     * only its hash is stored, so the token exists nowhere but in the mail. An invitation that is no longer
     * pending sends nothing. Answers what the outbox keeps of the message once sent (no token).
     */
    private Uni<String> sendInvitation(UUID invitationId) {
        String token = InvitationTokens.generate();
        return invitationMail(invitationId, token).flatMap(mail -> mail == null
                ? Uni.createFrom().item(kept(Map.of("invitation_id", invitationId.toString(), "skipped", "not pending")))
                : mailer.send(mail).ifNoItem().after(Duration.ofSeconds(60)).fail()
                        .map(sent -> kept(Map.of("invitation_id", invitationId.toString(), "to", mail.getTo().get(0)))));
    }

    /** Stores the hash of {@code token} on a pending invitation and answers its mail; null when not pending. */
    @WithTransaction
    Uni<Mail> invitationMail(UUID invitationId, String token) {
        return invitations.lock(invitationId).flatMap(invitation -> {
            if (invitation == null || invitation.status(Instant.now()) != Invitation.Status.PENDING) {
                return Uni.createFrom().nullItem();
            }
            return organizations.findLive(invitation.organizationId).flatMap(organization -> {
                if (organization == null) {
                    return Uni.createFrom().nullItem();
                }
                invitation.tokenHash = InvitationTokens.hash(token);
                Uni<UserProfile> inviter = "user".equals(invitation.invitedByType) && invitation.invitedById != null
                        ? users.findById(UUID.fromString(invitation.invitedById))
                        : Uni.createFrom().nullItem();
                return inviter.map(who -> mail(invitation, organization, who, token));
            });
        });
    }

    private Mail mail(Invitation invitation, Organization organization, UserProfile inviter, String token) {
        String link = config.invitations().link().replace("{token}", token);
        String who = inviter == null ? "You have been" : (inviter.name != null ? inviter.name : inviter.email) + " has";
        String text = who + " invited you to join " + organization.name + " as " + article(invitation.role) + " "
                + invitation.role + ".\n\n"
                + "Accept the invitation:\n" + link + "\n\n"
                + "Sign in, or sign up, with " + invitation.email + " to accept it. The invitation expires on "
                + DAY.format(invitation.expiresAt) + " and works once.\n\n"
                + "If you did not expect this invitation, you can ignore this mail.\n";
        return Mail.withText(invitation.email, "You are invited to join " + organization.name, text);
    }

    private static String article(String role) {
        return role.startsWith("a") || role.startsWith("o") ? "an" : "a";
    }

    Duration backoff(int attempts) {
        long base = config.outbox().backoffBase().toMillis();
        long max = config.outbox().backoffMax().toMillis();
        long delay = base << Math.min(Math.max(attempts - 1, 0), 20);
        delay = Math.min(delay <= 0 ? max : delay, max);
        // +-20 % jitter, so that many rows that failed together do not all retry in the same instant
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.max(1, (long) (delay * jitter)));
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> payload(OutboxMessage message) throws JsonProcessingException {
        return json.readValue(message.payload, Map.class);
    }

    private static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private String kept(Map<String, String> what) {
        try {
            return json.writeValueAsString(what);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
