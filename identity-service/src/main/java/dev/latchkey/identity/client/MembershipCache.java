package dev.latchkey.identity.client;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.latchkey.common.auth.Revocations;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import io.smallrye.mutiny.Uni;

/**
 * A user's organizations and roles as tenant-service last said, so that a refresh does not ask tenant-service
 * each time. It is only used while this instance provably hears the revocation channel
 * ({@link Revocations#trusted()}): tenant-service writes every change of memberships (joined, left, removed, role
 * changed, an organization created, renamed or deleted) to its outbox in the change's transaction and publishes it
 * there once committed (and tenant-service publishes it once more itself before the changing request answers, so
 * the caller's next refresh already misses the cache); each instance then drops what it held. While the channel is not trusted, and after a
 * resubscription, every call asks tenant-service, so a role change reaches the next refresh either way. Entries
 * also expire ({@code latchkey.identity.memberships.cache-ttl}), which bounds what a lost message could cost.
 */
@ApplicationScoped
public class MembershipCache {

    private final TenantClient tenants;
    private final Revocations revocations;
    private final Cache<String, List<OrganizationRole>> cache;
    private final Object lock = new Object();
    private long changes;

    public MembershipCache(TenantClient tenants, Revocations revocations, IdentityConfig config) {
        this.tenants = tenants;
        this.revocations = revocations;
        IdentityConfig.Memberships memberships = config.memberships();
        this.cache = Caffeine.newBuilder().maximumSize(memberships.cacheSize())
                .expireAfterWrite(memberships.cacheTtl()).build();
        revocations.onMembershipChanged(this::changed);
        revocations.onResync(this::forgetAll);
    }

    /** The user's organizations, personal first (tenant-service's order). */
    public Uni<List<OrganizationRole>> memberships(String userId) {
        if (revocations.trusted()) {
            List<OrganizationRole> cached = cache.getIfPresent(userId);
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
        }
        long asked;
        synchronized (lock) {
            asked = changes;
        }
        return tenants.memberships(userId).invoke(list -> remember(userId, list, asked));
    }

    private void remember(String userId, List<OrganizationRole> list, long asked) {
        if (list.isEmpty() || !revocations.trusted()) {
            return;
        }
        synchronized (lock) {
            // A change heard while the answer was on its way may not be in it.
            if (changes == asked) {
                cache.put(userId, list);
            }
        }
    }

    private void changed(String subject) {
        synchronized (lock) {
            changes++;
            if (subject.startsWith("user ")) {
                cache.invalidate(subject.substring(5));
            } else if (subject.startsWith("organization ")) {
                String organization = subject.substring(13);
                cache.asMap().values().removeIf(list -> list.stream()
                        .anyMatch(m -> organization.equals(m.organizationId())));
            }
        }
    }

    private void forgetAll() {
        synchronized (lock) {
            changes++;
            cache.invalidateAll();
        }
    }
}
