package dev.latchkey.identity.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.service.ClientRegistry.Client;
import io.smallrye.mutiny.Uni;

/**
 * Where an authorization request goes once the person has signed in: the organization picker (a member of several
 * who has not picked one), the consent page, or straight back to the client with a code (a client that skips
 * consent). The person's organizations are read from tenant-service at each step, never from the request.
 */
@ApplicationScoped
public class AuthorizationSteps {

    /** Where the pages go next for a signed-in person. */
    public sealed interface Step {
    }

    public record PickOrganization(List<OrganizationRole> organizations) implements Step {
    }

    public record Consent(Client client, AuthorizationRequest request, User user, OrganizationRole organization)
            implements Step {
    }

    public record Redirect(String location) implements Step {
    }

    private final UserRepository users;
    private final TenantClient tenants;
    private final ClientRegistry clients;
    private final AuthorizationRequests requests;
    private final AuthorizationDecisions decisions;

    public AuthorizationSteps(UserRepository users, TenantClient tenants, ClientRegistry clients,
            AuthorizationRequests requests, AuthorizationDecisions decisions) {
        this.users = users;
        this.tenants = tenants;
        this.clients = clients;
        this.requests = requests;
        this.decisions = decisions;
    }

    /** The next page for a person who has signed in: organization picker, consent, or straight back with a code. */
    public Uni<Step> next(AuthorizationRequest r) {
        if (r.userId == null) {
            return Uni.createFrom().failure(AuthorizationRequests.expiredRequest());
        }
        return users.findById(r.userId).flatMap(user -> {
            if (user == null || User.DISABLED.equals(user.status)) {
                return Uni.createFrom().failure(AuthorizationRequests.expiredRequest());
            }
            return tenants.memberships(user.id.toString())
                    .flatMap(list -> list.isEmpty()
                            // tenant-service was down at sign-up: the personal organization is made now.
                            ? tenants.onboard(user.id.toString(), user.email, user.emailVerified(), user.name)
                            : Uni.createFrom().item(list))
                    .flatMap(list -> next(r, user, list));
        });
    }

    private Uni<Step> next(AuthorizationRequest r, User user, List<OrganizationRole> list) {
        OrganizationRole chosen = r.organizationId == null ? null
                : list.stream().filter(o -> o.organizationId().equals(r.organizationId.toString()))
                        .findFirst().orElse(null);
        if (chosen == null && list.size() > 1) {
            return Uni.createFrom().item(new PickOrganization(list));
        }
        OrganizationRole organization = chosen != null ? chosen : list.isEmpty() ? null : list.get(0);
        return clients.find(r.clientId).flatMap(client -> {
            if (client.isEmpty()) {
                return Uni.createFrom().failure(AuthorizationRequests.expiredRequest());
            }
            if (client.get().skipConsent()) {
                return decisions.approve(r, organization).map(location -> (Step) new Redirect(location));
            }
            return Uni.createFrom().item(new Consent(client.get(), r, user, organization));
        });
    }

    /** The organization picked on the page; 404 unless the person belongs to it. */
    public Uni<Void> chooseOrganization(AuthorizationRequest r, String organizationId) {
        UUID org = SessionService.uuid(organizationId);
        if (r.userId == null || org == null) {
            return Uni.createFrom().failure(ApiException.notFound("Organization"));
        }
        return tenants.membership(org.toString(), r.userId.toString()).flatMap(m -> {
            if (m.isEmpty()) {
                return Uni.createFrom().failure(ApiException.notFound("Organization"));
            }
            return requests.organizationChosen(r.id, org);
        });
    }

    /** The person allowed the client: a code, and the redirect carrying it. */
    public Uni<String> allow(AuthorizationRequest r) {
        return next(r).flatMap(step -> switch (step) {
            case Consent consent -> decisions.approve(r, consent.organization());
            case Redirect redirect -> Uni.createFrom().item(redirect.location());
            case PickOrganization pick -> Uni.createFrom().failure(AuthorizationRequests.expiredRequest());
        });
    }

    /** The request ends without asking the person ({@code prompt=none}): the client hears {@code error}. */
    public Uni<String> refuse(AuthorizationRequest r, String error, String description) {
        return decisions.refuse(r, error, description);
    }

    /** The person denied: the request ends and the client hears access_denied. */
    public Uni<String> deny(AuthorizationRequest r) {
        return decisions.deny(r);
    }
}
