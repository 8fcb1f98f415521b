package dev.latchkey.tenant.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Authz;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Role;
import dev.latchkey.tenant.domain.MemberRow;
import dev.latchkey.tenant.domain.Membership;
import dev.latchkey.tenant.domain.Organization;
import dev.latchkey.tenant.domain.Times;
import dev.latchkey.tenant.policy.Cursors.TimeAndId;
import dev.latchkey.tenant.policy.MembershipRules;
import dev.latchkey.tenant.repository.MembershipRepository;
import dev.latchkey.tenant.repository.OrganizationRepository;
import dev.latchkey.tenant.repository.UserRepository;
import dev.latchkey.tenant.service.AuditService.Target;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Members and their roles. Every change locks the organization's row first ({@link OrganizationRepository#lockLive}),
 * so changes to one organization's memberships happen one after another and "is another owner left?" is
 * answered on the state the change will commit into: an organization never loses its last owner, however many
 * demotions, removals and departures arrive at once.
 */
@ApplicationScoped
public class MemberService {

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final UserRepository users;
    private final AuditService audit;
    private final Outbox outbox;
    private final OutboxSender sender;

    public MemberService(OrganizationRepository organizations, MembershipRepository memberships, UserRepository users,
            AuditService audit, Outbox outbox, OutboxSender sender) {
        this.organizations = organizations;
        this.memberships = memberships;
        this.users = users;
        this.audit = audit;
        this.outbox = outbox;
        this.sender = sender;
    }

    /** A member as the API shows them. */
    public record Member(UUID userId, String email, String name, Role role, java.time.Instant joinedAt) {
        static Member of(MemberRow row) {
            return new Member(row.userId(), row.email(), row.name(), Role.parse(row.role()), row.joinedAt());
        }
    }

    public Uni<List<Member>> list(String organizationId, VerifiedToken caller, TimeAndId after, int limit) {
        UUID org = organization(organizationId, caller);
        Authz.require(caller, Action.MEMBERS_READ);
        return memberships.page(org, after, limit).map(rows -> rows.stream().map(Member::of).toList());
    }

    /** Changes a member's role; anything touching an owner needs an owner. */
    public Uni<Member> changeRole(String organizationId, String userId, Role to, VerifiedToken caller, Actor actor) {
        UUID org = organization(organizationId, caller);
        UUID user = Ids.parse(userId);
        return changeRole(org, user, to, caller, actor)
                .invoke(sender::kick).call(member -> sender.announceUser(member.userId))
                .flatMap(member -> users.findById(member.userId)
                        .map(profile -> new Member(member.userId, profile == null ? null : profile.email,
                                profile == null ? null : profile.name, member.role(), member.createdAt)));
    }

    @WithTransaction
    Uni<Membership> changeRole(UUID org, UUID user, Role to, VerifiedToken caller, Actor actor) {
        return lock(org).flatMap(organization -> target(org, user).flatMap(member -> {
            Role from = member.role();
            Action action = MembershipRules.roleChange(from, to);
            Authz.require(caller, action);
            return Access.recheck(memberships, caller, org, action).flatMap(ignored -> {
                if (from == to) {
                    return Uni.createFrom().item(member);
                }
                return memberships.owners(org).flatMap(owners -> {
                    if (MembershipRules.losesLastOwner(from, to, owners)) {
                        return Uni.createFrom().failure(TenantErrors.lastOwner());
                    }
                    member.role = to.value();
                    member.updatedAt = Times.now();
                    return outbox.userMembershipsChanged(member.userId)
                            .call(() -> audit.record(org, actor, "member.role_changed", memberTarget(member),
                                    Map.of("from", from.value(), "to", to.value()))).replaceWith(member);
                });
            });
        }));
    }

    /**
     * Removes a member; removing oneself is leaving. The removed person's sessions in this organization end
     * (through the outbox, at identity-service), so their tokens stop working here within seconds.
     */
    public Uni<Void> remove(String organizationId, String userId, VerifiedToken caller, Actor actor) {
        if (caller.kind() == VerifiedToken.Kind.USER && userId != null && userId.equals(caller.userId())) {
            return leave(organizationId, caller, actor);
        }
        UUID org = organization(organizationId, caller);
        UUID user = Ids.parse(userId);
        return remove(org, user, caller, actor).invoke(sender::kick).call(() -> sender.announceUser(user));
    }

    @WithTransaction
    Uni<Void> remove(UUID org, UUID user, VerifiedToken caller, Actor actor) {
        return lock(org).flatMap(organization -> target(org, user).flatMap(member -> {
            Action action = MembershipRules.removal(member.role());
            Authz.require(caller, action);
            return Access.recheck(memberships, caller, org, action)
                    .flatMap(ignored -> memberships.owners(org))
                    .flatMap(owners -> {
                        if (MembershipRules.losesLastOwner(member.role(), null, owners)) {
                            return Uni.createFrom().failure(TenantErrors.lastOwner());
                        }
                        return memberships.delete(member)
                                .call(() -> outbox.endSessions(org, member.userId))
                                .call(() -> outbox.userMembershipsChanged(member.userId))
                                .call(() -> audit.record(org, actor, "member.removed", memberTarget(member),
                                        Map.of("role", member.role)));
                    });
        })).replaceWithVoid();
    }

    /**
     * The caller leaves an organization it belongs to (any of them, not only the token's active one: it is about
     * the caller itself). An organization it does not belong to answers 404, like one that does not exist.
     */
    public Uni<Void> leave(String organizationId, VerifiedToken caller, Actor actor) {
        UUID org = Ids.parse(organizationId);
        UUID user = Ids.parse(caller.userId());
        if (org == null || user == null) {
            return Uni.createFrom().failure(ApiException.notFound("Organization"));
        }
        return leave(org, user, actor).invoke(sender::kick).call(() -> sender.announceUser(user));
    }

    @WithTransaction
    Uni<Void> leave(UUID org, UUID user, Actor actor) {
        return organizations.lockLive(org)
                .flatMap(organization -> organization == null ? Uni.createFrom().<Membership>nullItem()
                        : memberships.find(org, user).flatMap(member -> {
                            if (member == null) {
                                return Uni.createFrom().nullItem();
                            }
                            if (organization.personal()) {
                                return Uni.createFrom().failure(TenantErrors.personal("cannot be left"));
                            }
                            return memberships.owners(org).flatMap(owners -> {
                                if (MembershipRules.losesLastOwner(member.role(), null, owners)) {
                                    return Uni.createFrom().failure(TenantErrors.lastOwner());
                                }
                                return memberships.delete(member)
                                        .call(() -> outbox.endSessions(org, user))
                                        .call(() -> outbox.userMembershipsChanged(user))
                                        .call(() -> audit.record(org, actor, "member.left", memberTarget(member),
                                                Map.of("role", member.role)))
                                        .replaceWith(member);
                            });
                        }))
                .onItem().ifNull().failWith(() -> ApiException.notFound("Organization"))
                .replaceWithVoid();
    }

    /**
     * The organization id of the path when it is the caller's organization; 404 for any other (as for one that does
     * not exist), 401 without a caller. Which action the caller needs is decided afterwards, often only once the
     * target is known (a change touching an owner needs an owner).
     */
    static UUID organization(String organizationId, VerifiedToken caller) {
        if (caller == null) {
            throw ApiException.authRequired();
        }
        UUID org = Ids.parse(organizationId);
        if (org == null || caller.isService() || !org.toString().equals(caller.tenantId())) {
            throw ApiException.notFound("Organization");
        }
        return org;
    }

    private Uni<Organization> lock(UUID org) {
        return organizations.lockLive(org).onItem().ifNull().failWith(() -> ApiException.notFound("Organization"));
    }

    private Uni<Membership> target(UUID org, UUID user) {
        if (user == null) {
            return Uni.createFrom().failure(ApiException.notFound("Member"));
        }
        return memberships.find(org, user).onItem().ifNull().failWith(() -> ApiException.notFound("Member"));
    }

    private static Target memberTarget(Membership member) {
        return new Target("member", member.userId.toString(), null);
    }
}
