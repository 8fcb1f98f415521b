package dev.latchkey.tenant.service;

import java.util.Set;
import java.util.UUID;

import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Permissions.Decision;
import dev.latchkey.common.rbac.Permissions;
import dev.latchkey.tenant.repository.MembershipRepository;
import io.smallrye.mutiny.Uni;

/**
 * The second check on changes to an organization. {@code Authz} decides on the token, which identity issued up to
 * 15 minutes ago; a person's role may have changed since (role changes take effect everywhere else at the next
 * refresh). Where tenant-service changes memberships, invitations or the organization itself it has the
 * database at hand anyway, so it also asks the role the database holds now, inside the transaction that makes
 * the change and after the organization's row lock: a demoted admin cannot use their old token to change roles.
 * Machine callers have no membership: their capability is the key's, which is checked at the source.
 */
final class Access {

    private Access() {
    }

    static Uni<Void> recheck(MembershipRepository memberships, VerifiedToken caller, UUID organizationId,
            Action action) {
        if (caller.kind() != VerifiedToken.Kind.USER) {
            return Uni.createFrom().voidItem();
        }
        UUID userId = Ids.parse(caller.userId());
        if (userId == null) {
            return Uni.createFrom().failure(ApiException.accessDenied("You are not a member of this organization"));
        }
        return memberships.find(organizationId, userId).map(membership -> {
            if (membership == null) {
                throw ApiException.accessDenied("You are not a member of this organization any more");
            }
            if (Permissions.decide(Set.of(membership.role()), null, null, action) != Decision.ALLOWED) {
                throw ApiException.accessDenied("Your role may not " + action.value());
            }
            return null;
        });
    }
}
