package dev.latchkey.identity.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.client.MembershipCache;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.domain.User;
import io.smallrye.mutiny.Uni;

/**
 * The organization a session acts in, read from tenant-service (through {@link MembershipCache}) whenever a token
 * is issued: a person's own session goes where they were last, a client's grant stays where the person put it.
 */
@ApplicationScoped
public class SessionOrganizations {

    private final TenantClient tenants;
    private final MembershipCache memberships;

    public SessionOrganizations(TenantClient tenants, MembershipCache memberships) {
        this.tenants = tenants;
        this.memberships = memberships;
    }

    /**
     * The one asked for if the user is a member, else the last one used, else the personal one, else the first.
     * Users without any (tenant-service was down at sign-up) are onboarded now.
     */
    public Uni<OrganizationRole> active(User user, UUID preferred) {
        return memberships.memberships(user.id.toString())
                .flatMap(list -> list.isEmpty()
                        ? tenants.onboard(user.id.toString(), user.email, user.emailVerified(), user.name)
                        : Uni.createFrom().item(list))
                .map(list -> pick(list, preferred, user.lastOrganizationId));
    }

    /**
     * The organization a client's grant is fixed to, with the user's role there now; null when the user is no
     * longer a member (the grant is over: a client never moves to another of the person's organizations).
     */
    public Uni<OrganizationRole> ofGrant(User user, UUID organizationId) {
        return memberships.memberships(user.id.toString()).map(list -> list.stream()
                .filter(m -> organizationId.toString().equals(m.organizationId())).findFirst().orElse(null));
    }

    static OrganizationRole pick(List<OrganizationRole> list, UUID preferred, UUID last) {
        for (UUID wanted : new UUID[] { preferred, last }) {
            if (wanted != null) {
                Optional<OrganizationRole> found = list.stream()
                        .filter(m -> wanted.toString().equals(m.organizationId())).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        return list.stream().filter(OrganizationRole::personal).findFirst().orElse(list.isEmpty() ? null : list.get(0));
    }
}
