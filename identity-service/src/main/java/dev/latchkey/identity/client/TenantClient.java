package dev.latchkey.identity.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import dev.latchkey.common.auth.ServiceTokenProvider;
import dev.latchkey.common.client.Outbound;
import dev.latchkey.common.client.ServiceClientConfig;
import dev.latchkey.common.error.ApiException;
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

    private final TenantApi api;
    private final ServiceTokenProvider tokens;
    private final Duration timeout;

    public TenantClient(@RestClient TenantApi api, ServiceTokenProvider tokens, ServiceClientConfig config) {
        this.api = api;
        this.tokens = tokens;
        this.timeout = config.callTimeout();
    }

    /** The user's organizations, personal first. */
    public Uni<List<OrganizationRole>> memberships(String userId) {
        return call(tokens.token().flatMap(t -> Outbound.detached(api.memberships("Bearer " + t, userId))))
                .map(m -> m.memberships() == null ? List.<OrganizationRole>of()
                        : m.memberships().stream().map(OrganizationRole::of).toList());
    }

    /** The user's role in one organization, or empty when not a member (or it does not exist). */
    public Uni<Optional<OrganizationRole>> membership(String organizationId, String userId) {
        return tokens.token()
                .flatMap(t -> Outbound.detached(api.membership("Bearer " + t, organizationId, userId)))
                .ifNoItem().after(timeout).fail()
                .map(m -> Optional.of(OrganizationRole.of(m)))
                .onFailure(ClientWebApplicationException.class)
                .recoverWithUni(e -> ((ClientWebApplicationException) e).getResponse().getStatus() == 404
                        ? Uni.createFrom().item(Optional.empty())
                        : Uni.createFrom().failure(unavailable(e)))
                .onFailure(e -> !(e instanceof ApiException)).transform(TenantClient::unavailable);
    }

    /**
     * Makes sure the user has a personal organization (created once, whoever asks first) and, for a verified
     * address, joins the organizations that invited it. Returns the user's organizations.
     */
    public Uni<List<OrganizationRole>> onboard(String userId, String email, boolean emailVerified, String name) {
        return call(tokens.token().flatMap(t -> Outbound.detached(
                api.onboard("Bearer " + t, userId, new Onboard(email, emailVerified, name)))))
                .map(m -> m.memberships() == null ? List.<OrganizationRole>of()
                        : m.memberships().stream().map(OrganizationRole::of).toList());
    }

    private <T> Uni<T> call(Uni<T> call) {
        return call.ifNoItem().after(timeout).fail()
                .onFailure(e -> !(e instanceof ApiException)).transform(TenantClient::unavailable);
    }

    private static ApiException unavailable(Throwable e) {
        if (e instanceof ApiException api) {
            return api;
        }
        return ApiException.unavailable("Organizations cannot be read right now", "tenant-service call failed: " + e, e);
    }
}
