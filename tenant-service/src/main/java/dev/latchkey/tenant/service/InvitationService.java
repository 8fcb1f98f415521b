package dev.latchkey.tenant.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Authz;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Role;
import dev.latchkey.tenant.config.TenantConfig;
import dev.latchkey.tenant.domain.Invitation;
import dev.latchkey.tenant.domain.Organization;
import dev.latchkey.tenant.domain.Times;
import dev.latchkey.tenant.policy.Cursors.TimeAndId;
import dev.latchkey.tenant.policy.EmailAddresses;
import dev.latchkey.tenant.policy.InvitationTokens;
import dev.latchkey.tenant.policy.MembershipRules;
import dev.latchkey.tenant.repository.InvitationRepository;
import dev.latchkey.tenant.repository.MembershipRepository;
import dev.latchkey.tenant.repository.OrganizationRepository;
import dev.latchkey.tenant.repository.UserRepository;
import dev.latchkey.tenant.service.AuditService.Target;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Invitations: by e-mail, with a role, single-use and expiring. The token is in the mail only (see
 * {@link OutboxSender}); accepting needs a signed-in person whose verified e-mail is the invited one, and
 * identity's sign-up honours pending invitations by e-mail without any token ({@link OnboardingService}).
 * <p>
 * Each public method checks what needs no database, runs its {@code @WithTransaction} method (Quarkus intercepts
 * a bean's calls to its own non-private methods) and kicks the outbox only once that transaction committed.
 */
@ApplicationScoped
public class InvitationService {

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final InvitationRepository invitations;
    private final UserRepository users;
    private final AuditService audit;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final TenantConfig config;

    public InvitationService(OrganizationRepository organizations, MembershipRepository memberships,
            InvitationRepository invitations, UserRepository users, AuditService audit, Outbox outbox,
            OutboxSender sender, TenantConfig config) {
        this.organizations = organizations;
        this.memberships = memberships;
        this.invitations = invitations;
        this.users = users;
        this.audit = audit;
        this.outbox = outbox;
        this.sender = sender;
        this.config = config;
    }

    /** What accepting gave the caller: the organization and its role there. */
    public record Accepted(Organization organization, Role role, Invitation invitation) {
    }

    public Uni<Invitation> create(String organizationId, String email, Role role, VerifiedToken caller, Actor actor) {
        UUID org = MemberService.organization(organizationId, caller);
        String address = EmailAddresses.normalise(email);
        return invite(org, address, role, caller, actor).invoke(sender::kick);
    }

    @WithTransaction
    Uni<Invitation> invite(UUID org, String address, Role role, VerifiedToken caller, Actor actor) {
        return lock(org).flatMap(organization -> memberships.owners(org).flatMap(owners -> {
            Action action = MembershipRules.invitation(role, owners > 0);
            Authz.require(caller, action);
            if (organization.personal()) {
                return Uni.createFrom().failure(TenantErrors.personal("has no other members: invite people to a team "
                        + "organization"));
            }
            return Access.recheck(memberships, caller, org, action)
                    .flatMap(ignored -> memberships.memberWithEmail(org, address))
                    .flatMap(member -> {
                        if (member) {
                            return Uni.createFrom().failure(new ApiException(409, TenantErrors.ALREADY_MEMBER,
                                    address + " is a member of this organization already"));
                        }
                        return invitations.pendingExists(org, address, Times.now());
                    })
                    .flatMap(pending -> {
                        if (pending) {
                            return Uni.createFrom().failure(new ApiException(409, TenantErrors.INVITATION_PENDING,
                                    address + " has a pending invitation already: revoke it to invite again"));
                        }
                        Invitation invitation = new Invitation();
                        invitation.id = UUID.randomUUID();
                        invitation.organizationId = org;
                        invitation.email = address;
                        invitation.role = role.value();
                        invitation.invitedByType = actor.type();
                        invitation.invitedById = actor.id();
                        Instant now = Times.now();
                        invitation.createdAt = now;
                        invitation.expiresAt = now.plus(config.invitations().ttl());
                        return invitations.persist(invitation)
                                .call(created -> outbox.invitationMail(created.id))
                                .call(created -> audit.record(org, actor, "invitation.created", target(created),
                                        Map.of("role", created.role, "expires_at", created.expiresAt.toString())));
                    });
        }));
    }

    public Uni<List<Invitation>> pending(String organizationId, VerifiedToken caller, TimeAndId after, int limit) {
        UUID org = MemberService.organization(organizationId, caller);
        Authz.require(caller, Action.MEMBERS_INVITE);
        return invitations.pendingPage(org, after, limit, Times.now());
    }

    /** Revokes an invitation that has not been accepted; revoking a revoked one changes nothing. */
    public Uni<Void> revoke(String organizationId, String invitationId, VerifiedToken caller, Actor actor) {
        UUID org = MemberService.organization(organizationId, caller);
        Authz.require(caller, Action.MEMBERS_INVITE);
        UUID id = Ids.parse(invitationId);
        if (id == null) {
            return Uni.createFrom().failure(ApiException.notFound("Invitation"));
        }
        return revoke(org, id, caller, actor);
    }

    @WithTransaction
    Uni<Void> revoke(UUID org, UUID id, VerifiedToken caller, Actor actor) {
        return lock(org).flatMap(organization -> invitations.lock(id).flatMap(invitation -> {
            if (invitation == null || !invitation.organizationId.equals(org)) {
                return Uni.createFrom().failure(ApiException.notFound("Invitation"));
            }
            return memberships.owners(org).flatMap(owners -> {
                Action action = MembershipRules.invitation(invitation.role(), owners > 0);
                Authz.require(caller, action);
                return Access.recheck(memberships, caller, org, action);
            }).flatMap(ignored -> {
                if (invitation.acceptedAt != null) {
                    return Uni.createFrom().failure(new ApiException(409, TenantErrors.INVITATION_USED,
                            "This invitation has been accepted; remove the member instead"));
                }
                if (invitation.revokedAt != null) {
                    return Uni.createFrom().voidItem();
                }
                invitation.revokedAt = Times.now();
                return audit.record(org, actor, "invitation.revoked", target(invitation), Map.of("role", invitation.role))
                        .replaceWithVoid();
            });
        }));
    }

    /**
     * Accepts an invitation for the signed-in caller. Checked in this order, each answer telling no more than the
     * one before: an unknown, revoked or deleted-organization token is 404; a caller whose verified e-mail is not
     * the invited address 403 {@code invitation_email_mismatch}; a used token 409 {@code invitation_used}; an
     * expired one 410 {@code invitation_expired}. The invitation row is locked, so two acceptances of one token
     * at once make one membership.
     */
    public Uni<Accepted> accept(String token, VerifiedToken caller, Actor actor) {
        UUID user = Ids.parse(caller.userId());
        if (!InvitationTokens.wellFormed(token) || user == null) {
            return Uni.createFrom().failure(ApiException.notFound("Invitation"));
        }
        return accept(InvitationTokens.hash(token), user, caller, actor)
                .invoke(sender::kick).call(() -> sender.announceUser(user));
    }

    @WithTransaction
    Uni<Accepted> accept(byte[] hash, UUID user, VerifiedToken caller, Actor actor) {
        return invitations.lockByTokenHash(hash).flatMap(invitation -> {
            if (invitation == null || invitation.revokedAt != null) {
                return Uni.createFrom().failure(ApiException.notFound("Invitation"));
            }
            return organizations.findLive(invitation.organizationId).flatMap(organization -> {
                if (organization == null) {
                    return Uni.createFrom().failure(ApiException.notFound("Invitation"));
                }
                if (!caller.emailVerified() || !EmailAddresses.same(caller.email(), invitation.email)) {
                    return Uni.createFrom().failure(new ApiException(403, TenantErrors.INVITATION_EMAIL_MISMATCH,
                            caller.emailVerified()
                                    ? "This invitation is for another e-mail address"
                                    : "Verify your e-mail address, then accept the invitation"));
                }
                if (invitation.acceptedAt != null) {
                    return Uni.createFrom().failure(new ApiException(409, TenantErrors.INVITATION_USED,
                            "This invitation has been used"));
                }
                Instant now = Times.now();
                if (!now.isBefore(invitation.expiresAt)) {
                    return Uni.createFrom().failure(new ApiException(410, TenantErrors.INVITATION_EXPIRED,
                            "This invitation has expired; ask for a new one"));
                }
                return join(organization, invitation, user, caller.email(), actor, now);
            });
        });
    }

    /**
     * Makes {@code user} a member with the invitation's role (someone who is a member already keeps their role),
     * marks the invitation accepted and records it. Runs in the caller's transaction, the invitation locked.
     */
    Uni<Accepted> join(Organization organization, Invitation invitation, UUID user, String email, Actor actor,
            Instant now) {
        return users.upsert(user, EmailAddresses.normalise(email), Boolean.TRUE, null, now)
                .flatMap(ignored -> memberships.insertIfAbsent(organization.id, user, invitation.role, now))
                .flatMap(ignored -> memberships.find(organization.id, user))
                .call(ignored -> outbox.userMembershipsChanged(user))
                .flatMap(member -> {
                    invitation.acceptedAt = now;
                    invitation.acceptedBy = user;
                    return audit.record(organization.id, actor, "invitation.accepted",
                            new Target("member", user.toString(), invitation.email),
                            Map.of("invitation_id", invitation.id.toString(), "role", member.role))
                            .replaceWith(new Accepted(organization, member.role(), invitation));
                });
    }

    private Uni<Organization> lock(UUID org) {
        return organizations.lockLive(org).onItem().ifNull().failWith(() -> ApiException.notFound("Organization"));
    }

    private static Target target(Invitation invitation) {
        return new Target("invitation", invitation.id.toString(), invitation.email);
    }
}
