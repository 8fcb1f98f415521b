package dev.latchkey.tenant.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.Authz;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Role;
import dev.latchkey.tenant.client.ApiKeyClient;
import dev.latchkey.tenant.client.CreatedApiKey;
import dev.latchkey.tenant.domain.Organization;
import dev.latchkey.tenant.domain.OrganizationRow;
import dev.latchkey.tenant.domain.Times;
import dev.latchkey.tenant.domain.UserMembershipRow;
import dev.latchkey.tenant.policy.EmailAddresses;
import dev.latchkey.tenant.policy.Slugs;
import dev.latchkey.tenant.repository.InvitationRepository;
import dev.latchkey.tenant.repository.MembershipRepository;
import dev.latchkey.tenant.repository.OrganizationLookup;
import dev.latchkey.tenant.repository.OrganizationRepository;
import dev.latchkey.tenant.repository.UserRepository;
import dev.latchkey.tenant.service.AuditService.Target;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class OrganizationService {

    static final String FIRST_KEY_NAME = "default";
    /** The unique index that keeps live organizations' slugs apart (V2 migration). */
    static final String SLUG_INDEX = "organizations_slug_live";
    private static final int SLUG_ATTEMPTS = 4;

    private final OrganizationRepository organizations;
    private final OrganizationLookup lookup;
    private final MembershipRepository memberships;
    private final InvitationRepository invitations;
    private final UserRepository users;
    private final ApiKeyClient apiKeys;
    private final AuditService audit;
    private final Outbox outbox;
    private final OutboxSender sender;

    public OrganizationService(OrganizationRepository organizations, OrganizationLookup lookup,
            MembershipRepository memberships, InvitationRepository invitations, UserRepository users,
            ApiKeyClient apiKeys, AuditService audit, Outbox outbox, OutboxSender sender) {
        this.organizations = organizations;
        this.lookup = lookup;
        this.memberships = memberships;
        this.invitations = invitations;
        this.users = users;
        this.apiKeys = apiKeys;
        this.audit = audit;
        this.outbox = outbox;
        this.sender = sender;
    }

    public record NewOrganization(Organization organization, CreatedApiKey apiKey) {
    }

    /** An organization in a caller's list: its role there, when it joined, whether it is the token's. */
    public record MyOrganization(UUID id, String name, String slug, boolean personal, Role role, Instant joinedAt,
            boolean active) {
    }

    /**
     * {@code POST /v1/tenants}: an organization with no members and its first API key. If the key cannot be
     * created the organization is removed again, so a caller never holds an organization it has no key for and
     * can simply retry. The key acts as an admin (a {@code read_write} organization-wide key): it can invite the
     * organization's first owner, never delete it.
     */
    public Uni<NewOrganization> bootstrap(String name, Actor actor) {
        return withFreeSlug(null, name, slug -> insertBootstrapped(name, slug, actor))
                .flatMap(org -> apiKeys.create(org.id, FIRST_KEY_NAME, List.of())
                        .map(key -> new NewOrganization(org, key))
                        .onFailure().call(e -> removeKeyless(org, actor)
                                .onFailure().invoke(cleanup -> Log.errorf(cleanup,
                                        "organization %s has no API key and could not be removed", org.id))
                                .onFailure().recoverWithNull()));
    }

    @WithTransaction
    Uni<Organization> insertBootstrapped(String name, String slug, Actor actor) {
        return organizations.persistAndFlush(newOrganization(name, slug, actor))
                .call(created -> audit.record(created.id, actor, "organization.created", target(created),
                        Map.of("bootstrap", true)));
    }

    @WithTransaction
    Uni<Void> removeKeyless(Organization org, Actor actor) {
        return organizations.hardDelete(org.id)
                .call(() -> audit.record(org.id, actor, "organization.deleted", target(org),
                        Map.of("reason", "its first API key could not be created")))
                .replaceWithVoid();
    }

    /** {@code POST /v1/organizations}: a signed-in person creates an organization and becomes its owner. */
    public Uni<Organization> create(String name, String requestedSlug, VerifiedToken caller, Actor actor) {
        UUID userId = Ids.parse(caller.userId());
        if (userId == null) {
            return Uni.createFrom().failure(ApiException.accessDenied("Only a signed-in person can own an organization"));
        }
        return withFreeSlug(requestedSlug, name, slug -> insertOwned(name, slug, userId, caller, actor))
                .invoke(sender::kick).call(() -> sender.announceUser(userId));
    }

    @WithTransaction
    Uni<Organization> insertOwned(String name, String slug, UUID userId, VerifiedToken caller, Actor actor) {
        Instant now = Times.now();
        Organization organization = newOrganization(name, slug, actor);
        Uni<Integer> profile = caller.email() == null ? Uni.createFrom().item(0)
                : users.upsert(userId, EmailAddresses.normalise(caller.email()),
                        caller.emailVerified() ? Boolean.TRUE : null, null, now);
        return profile.flatMap(ignored -> organizations.persistAndFlush(organization))
                .call(created -> memberships.insertIfAbsent(created.id, userId, Role.OWNER.value(), now))
                .call(created -> outbox.userMembershipsChanged(userId))
                .call(created -> audit.record(created.id, actor, "organization.created", target(created),
                        Map.of("owner", userId.toString())));
    }

    /**
     * The caller's own organization. Another organization's id answers exactly like an unknown one (404), so
     * that no caller learns which organizations exist. The hot read: see {@link OrganizationLookup}.
     */
    public Uni<OrganizationRow> get(String id, VerifiedToken caller) {
        UUID uuid = Ids.parse(id);
        Authz.require(caller, uuid == null ? null : uuid.toString(), Action.ORGANIZATION_READ, "Organization");
        return lookup.findLive(uuid).map(found -> found.orElseThrow(() -> ApiException.notFound("Organization")));
    }

    /** Renames the organization and/or changes its slug. */
    public Uni<Organization> update(String id, String name, String slug, VerifiedToken caller, Actor actor) {
        UUID uuid = Ids.parse(id);
        Authz.require(caller, uuid == null ? null : uuid.toString(), Action.ORGANIZATION_UPDATE, "Organization");
        return updateLocked(uuid, name, slug, caller, actor)
                .invoke(sender::kick)
                .call(org -> sender.announceOrganization(org.id))
                .onFailure(e -> slug != null && Conflicts.uniqueViolation(e, SLUG_INDEX))
                .transform(e -> TenantErrors.slugTaken(slug));
    }

    @WithTransaction
    Uni<Organization> updateLocked(UUID uuid, String name, String slug, VerifiedToken caller, Actor actor) {
        return organizations.lockLive(uuid)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Organization"))
                .call(() -> Access.recheck(memberships, caller, uuid, Action.ORGANIZATION_UPDATE))
                .call(org -> slug == null || slug.equals(org.slug) ? Uni.createFrom().voidItem()
                        : organizations.slugTaken(slug, org.id).invoke(taken -> {
                            if (taken) {
                                throw TenantErrors.slugTaken(slug);
                            }
                        }))
                .call(org -> {
                    Map<String, Object> changes = new LinkedHashMap<>();
                    if (name != null && !name.equals(org.name)) {
                        changes.put("name", Map.of("from", org.name, "to", name));
                        org.name = name;
                    }
                    if (slug != null && !slug.equals(org.slug)) {
                        changes.put("slug", Map.of("from", org.slug, "to", slug));
                        org.slug = slug;
                    }
                    if (changes.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    org.updatedAt = Times.now();
                    return organizations.flush()
                            .call(() -> outbox.organizationChanged(org.id))
                            .call(() -> audit.record(org.id, actor, "organization.updated", target(org), changes));
                });
    }

    /**
     * Deletes the organization (it is only marked deleted): its pending invitations are revoked in the same
     * transaction, and its API keys and its members' sessions in it are ended through the outbox, which retries
     * until apikey-service and identity-service have done it.
     */
    public Uni<Void> delete(String id, VerifiedToken caller, Actor actor) {
        UUID uuid = Ids.parse(id);
        Authz.require(caller, uuid == null ? null : uuid.toString(), Action.ORGANIZATION_DELETE, "Organization");
        return deleteLocked(uuid, caller, actor)
                .invoke(sender::kick)
                .call(() -> sender.announceOrganization(uuid));
    }

    @WithTransaction
    Uni<Void> deleteLocked(UUID uuid, VerifiedToken caller, Actor actor) {
        return organizations.lockLive(uuid)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Organization"))
                .call(() -> Access.recheck(memberships, caller, uuid, Action.ORGANIZATION_DELETE))
                .call(org -> {
                    if (org.personal()) {
                        return Uni.createFrom().failure(TenantErrors.personal("is deleted with its user's account"));
                    }
                    Instant now = Times.now();
                    org.deletedAt = now;
                    org.updatedAt = now;
                    return invitations.revokeAllOpen(org.id, now)
                            .call(() -> outbox.revokeApiKeys(org.id))
                            .call(() -> outbox.endSessions(org.id, null))
                            .call(() -> outbox.organizationChanged(org.id))
                            .call(() -> audit.record(org.id, actor, "organization.deleted", target(org), null));
                })
                .replaceWithVoid();
    }

    /**
     * The organizations a caller can switch between, with its role in each. A person: every live organization it
     * belongs to, personal first. An API key belongs to one organization and answers that one only.
     */
    public Uni<List<MyOrganization>> mine(VerifiedToken caller) {
        if (caller.kind() == VerifiedToken.Kind.SERVICE) {
            return Uni.createFrom().failure(ApiException.accessDenied("Services belong to no organization"));
        }
        if (caller.kind() == VerifiedToken.Kind.API_KEY) {
            UUID organizationId = Ids.parse(caller.tenantId());
            if (organizationId == null) {
                return Uni.createFrom().item(List.of());
            }
            return lookup.findLive(organizationId).map(found -> found.map(org -> List.of(new MyOrganization(org.id(),
                    org.name(), org.slug(), org.personal(), caller.role(), null, true))).orElse(List.of()));
        }
        UUID userId = Ids.parse(caller.userId());
        if (userId == null) {
            return Uni.createFrom().item(List.of());
        }
        return memberships.ofUser(userId).map(rows -> rows.stream()
                .map(row -> mine(row, userId, row.organizationId().toString().equals(caller.tenantId())))
                .toList());
    }

    private static MyOrganization mine(UserMembershipRow row, UUID userId, boolean active) {
        return new MyOrganization(row.organizationId(), row.name(), row.slug(), userId.equals(row.personalOwner()),
                Role.parse(row.role()), row.joinedAt(), active);
    }

    static Target target(Organization org) {
        return new Target("organization", org.id.toString(), org.name);
    }

    private static Organization newOrganization(String name, String slug, Actor actor) {
        Organization organization = new Organization();
        organization.id = UUID.randomUUID();
        organization.name = name;
        organization.slug = slug;
        organization.createdByType = actor.type();
        organization.createdById = actor.id();
        Instant now = Times.now();
        organization.createdAt = now;
        organization.updatedAt = now;
        return organization;
    }

    /**
     * Runs {@code create} with a slug that is free: the requested one (409 {@code slug_taken} if another live
     * organization has it), or one made from the name, with a random suffix when the plain one is taken. The
     * unique index decides races; a generated slug that lost one is simply made again.
     */
    private <T> Uni<T> withFreeSlug(String requested, String name, Function<String, Uni<T>> create) {
        if (requested != null) {
            return create.apply(requested).onFailure(e -> Conflicts.uniqueViolation(e, SLUG_INDEX))
                    .transform(e -> TenantErrors.slugTaken(requested));
        }
        String base = Slugs.fromName(name);
        return attempt(base, 1, create);
    }

    private <T> Uni<T> attempt(String base, int attempt, Function<String, Uni<T>> create) {
        Uni<String> slug = attempt == 1
                ? organizations.slugTaken(base, null)
                        .map(taken -> taken ? Slugs.withRandomSuffix(base) : base)
                : Uni.createFrom().item(Slugs.withRandomSuffix(base));
        return slug.flatMap(s -> create.apply(s)).onFailure(e -> attempt < SLUG_ATTEMPTS && Conflicts.uniqueViolation(e, SLUG_INDEX))
                .recoverWithUni(() -> attempt(base, attempt + 1, create));
    }
}
