package dev.latchkey.tenant.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.tenant.domain.Invitation;
import dev.latchkey.tenant.domain.Times;
import dev.latchkey.tenant.domain.UserMembershipRow;
import dev.latchkey.tenant.policy.EmailAddresses;
import dev.latchkey.tenant.policy.Slugs;
import dev.latchkey.tenant.repository.InvitationRepository;
import dev.latchkey.tenant.repository.MembershipRepository;
import dev.latchkey.tenant.repository.OrganizationRepository;
import dev.latchkey.tenant.repository.UserRepository;
import dev.latchkey.tenant.service.AuditService.Target;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The membership API identity-service calls (CONTRACTS.md): a person's memberships, one membership for
 * switch-org, and onboarding at sign-up, which creates the personal organization once and honours invitations.
 */
@ApplicationScoped
public class OnboardingService {

    static final String PERSONAL_NAME = "Personal";
    private static final int SLUG_ATTEMPTS = 4;

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final InvitationRepository invitations;
    private final UserRepository users;
    private final InvitationService invitationService;
    private final AuditService audit;

    public OnboardingService(OrganizationRepository organizations, MembershipRepository memberships,
            InvitationRepository invitations, UserRepository users, InvitationService invitationService,
            AuditService audit) {
        this.organizations = organizations;
        this.memberships = memberships;
        this.invitations = invitations;
        this.users = users;
        this.invitationService = invitationService;
        this.audit = audit;
    }

    /** The user's live organizations, personal first, then in the order they joined. */
    public Uni<List<UserMembershipRow>> memberships(UUID userId) {
        return memberships.ofUser(userId);
    }

    /** The user's membership in a live organization; 404 when there is none. */
    public Uni<UserMembershipRow> membership(UUID organizationId, UUID userId) {
        return memberships.ofUserIn(userId, organizationId).onItem().ifNull().failWith(() -> ApiException.notFound("Membership"));
    }

    /**
     * Records the person, creates their personal organization unless it exists (decided by a unique constraint
     * in one statement, so concurrent calls create one), and when the e-mail is verified accepts every pending
     * invitation to it. Idempotent: calling it again changes nothing but the stored e-mail and name.
     */
    public Uni<List<UserMembershipRow>> onboard(UUID userId, String email, boolean emailVerified, String name,
            Actor actor) {
        String address = EmailAddresses.normalise(email);
        return attempt(userId, address, emailVerified, name, actor, 1);
    }

    private Uni<List<UserMembershipRow>> attempt(UUID userId, String address, boolean verified, String name,
            Actor actor, int attempt) {
        return onboardOnce(userId, address, verified, name, actor)
                .onFailure(e -> attempt < SLUG_ATTEMPTS && Conflicts.uniqueViolation(e, OrganizationService.SLUG_INDEX))
                .recoverWithUni(() -> attempt(userId, address, verified, name, actor, attempt + 1));
    }

    /** One attempt, in a transaction of its own: a personal slug that lost a race is made again in the next. */
    @WithTransaction
    Uni<List<UserMembershipRow>> onboardOnce(UUID userId, String address, boolean verified, String name, Actor actor) {
        Actor person = new Actor("user", userId.toString(), address, actor.clientAddress(), actor.requestId());
        Instant now = Times.now();
        UUID personalId = UUID.randomUUID();
        return users.upsert(userId, address, verified, name, now)
                .flatMap(ignored -> organizations.insertPersonalIfAbsent(personalId, PERSONAL_NAME,
                        Slugs.withRandomSuffix("personal"), userId, now))
                .call(created -> created == 0 ? Uni.createFrom().voidItem()
                        : memberships.insertIfAbsent(personalId, userId, "owner", now)
                                .call(() -> audit.record(personalId, person, "organization.created",
                                        new Target("organization", personalId.toString(), PERSONAL_NAME),
                                        Map.of("personal", true, "owner", userId.toString()))))
                .flatMap(ignored -> verified ? acceptInvitations(userId, address, person, now)
                        : Uni.createFrom().voidItem())
                .flatMap(ignored -> memberships.ofUser(userId));
    }

    private Uni<Void> acceptInvitations(UUID userId, String address, Actor person, Instant now) {
        return invitations.lockPendingFor(address, now)
                .flatMap(pending -> Multi.createFrom().iterable(pending)
                        .onItem().transformToUniAndConcatenate((Invitation invitation) -> organizations
                                .findLive(invitation.organizationId)
                                .flatMap(organization -> organization == null ? Uni.createFrom().voidItem()
                                        : invitationService.join(organization, invitation, userId, address, person, now)
                                                .replaceWithVoid()))
                        .collect().last().replaceWithVoid());
    }
}
