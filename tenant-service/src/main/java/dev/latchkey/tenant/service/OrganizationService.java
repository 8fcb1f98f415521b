package dev.latchkey.tenant.service;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.tenant.client.ApiKeyClient;
import dev.latchkey.tenant.client.CreatedApiKey;
import dev.latchkey.tenant.rbac.Permissions;
import dev.latchkey.tenant.repository.OrganizationRepository;
import dev.latchkey.tenant.repository.OrganizationRepository.Organization;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class OrganizationService {

    static final String FIRST_KEY_NAME = "default";

    private final OrganizationRepository organizations;
    private final ApiKeyClient apiKeys;

    public OrganizationService(OrganizationRepository organizations, ApiKeyClient apiKeys) {
        this.organizations = organizations;
        this.apiKeys = apiKeys;
    }

    public record NewOrganization(Organization organization, CreatedApiKey apiKey) {
    }

    /**
     * Creates an organization and its first API key. If the key cannot be created the organization is removed
     * again, so a caller never holds an organization it has no key for and can simply retry.
     */
    public Uni<NewOrganization> create(String name) {
        return organizations.insert(name).flatMap(org -> apiKeys.create(org.id(), FIRST_KEY_NAME, Permissions.OWNER_SCOPES)
                .map(key -> new NewOrganization(org, key))
                .onFailure().call(e -> organizations.delete(org.id())
                        .onFailure().invoke(cleanup -> Log.errorf(cleanup,
                                "organization %s has no API key and could not be removed", org.id()))
                        .onFailure().recoverWithNull()));
    }

    /**
     * The caller's own organization. Another organization's id answers exactly like an unknown one (404), so
     * that no caller learns which organizations exist; a caller of the right organization without the
     * permission gets 403.
     */
    public Uni<Organization> get(String id, String callerTenantId, Set<String> callerScopes) {
        UUID uuid = parse(id);
        if (uuid == null || callerTenantId == null || !uuid.toString().equals(callerTenantId)) {
            return Uni.createFrom().failure(ApiException.notFound("Organization"));
        }
        if (!Permissions.allows(callerScopes, Permissions.ORGANIZATIONS_READ)) {
            return Uni.createFrom().failure(ApiException.accessDenied(
                    "This token lacks the '" + Permissions.ORGANIZATIONS_READ + "' scope"));
        }
        return organizations.findById(uuid)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("Organization")));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
