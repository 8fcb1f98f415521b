package dev.latchkey.identity.client;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import dev.latchkey.common.client.ServiceCaller;
import dev.latchkey.identity.client.TenantApi.Membership;
import dev.latchkey.identity.client.TenantApi.Onboard;
import io.smallrye.mutiny.Uni;

/**
 * Who belongs to which organization with which role: tenant-service owns it, identity asks at every sign-in,
 * refresh and switch, so a changed role takes effect at the next refresh.
 */
@ApplicationScoped
public class TenantClient {

    /** One of the user's organizations, with the user's role there. */
    public record OrganizationRole(String organizationId, String name, String slug, String role, boolean personal) {
        static OrganizationRole of(Membership m) {
            return new OrganizationRole(m.organizationId(), m.name(), m.slug(), m.role(),
                    Boolean.TRUE.equals(m.personal()));
        }
    }

    private static final String UNAVAILABLE = "Organizations cannot be read right now";
    private static final String WHAT = "tenant-service call";

    private final TenantApi api;
    private final ServiceCaller calls;

    public TenantClient(@RestClient TenantApi api, ServiceCaller calls) {
        this.api = api;
        this.calls = calls;
    }

    /** The user's organizations, personal first. */
    public Uni<List<OrganizationRole>> memberships(String userId) {
        return calls.call(UNAVAILABLE, WHAT, auth -> api.memberships(auth, userId))
                .map(m -> m.memberships() == null ? List.<OrganizationRole>of()
                        : m.memberships().stream().map(OrganizationRole::of).toList());
    }

    /** The user's role in one organization, or empty when not a member (or it does not exist). */
    public Uni<Optional<OrganizationRole>> membership(String organizationId, String userId) {
        return calls.send(calls.defaultTimeout(), auth -> api.membership(auth, organizationId, userId))
                .map(m -> Optional.of(OrganizationRole.of(m)))
                .onFailure(TenantClient::notFound).recoverWithItem(Optional.empty())
                .onFailure().transform(e -> ServiceCaller.unavailable(UNAVAILABLE, WHAT, e));
    }

    /**
     * Makes sure the user has a personal organization (created once, whoever asks first) and, for a verified
     * address, joins the organizations that invited it. Returns the user's organizations.
     */
    public Uni<List<OrganizationRole>> onboard(String userId, String email, boolean emailVerified, String name) {
        return calls.call(UNAVAILABLE, WHAT, auth -> api.onboard(auth, userId, new Onboard(email, emailVerified, name)))
                .map(m -> m.memberships() == null ? List.<OrganizationRole>of()
                        : m.memberships().stream().map(OrganizationRole::of).toList());
    }

    private static boolean notFound(Throwable e) {
        return e instanceof ClientWebApplicationException web && web.getResponse().getStatus() == 404;
    }
}
