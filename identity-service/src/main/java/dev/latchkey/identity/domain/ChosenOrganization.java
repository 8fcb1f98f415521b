package dev.latchkey.identity.domain;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import dev.latchkey.identity.client.TenantClient.OrganizationRole;

/**
 * The organization a person picked on the sign-in pages, and their role there, as tenant-service said at that
 * moment: kept with an authorization code or an approved device authorization until it is exchanged for a
 * session. Columns {@code organization_id}, {@code _name}, {@code _slug}, {@code _role}, {@code _personal}.
 */
@Embeddable
public class ChosenOrganization {

    @Column(name = "organization_id")
    public UUID id;
    @Column(name = "organization_name")
    public String name;
    @Column(name = "organization_slug")
    public String slug;
    @Column(name = "organization_role")
    public String role;
    @Column(name = "organization_personal")
    public boolean personal;

    /** The snapshot of {@code organization}; an empty one (no id) when the person has none. */
    public static ChosenOrganization of(OrganizationRole organization) {
        ChosenOrganization chosen = new ChosenOrganization();
        if (organization != null) {
            chosen.id = UUID.fromString(organization.organizationId());
            chosen.name = organization.name();
            chosen.slug = organization.slug();
            chosen.role = organization.role();
            chosen.personal = organization.personal();
        }
        return chosen;
    }

    /** The organization and role to start the session in; null when none was chosen. */
    public static OrganizationRole role(ChosenOrganization chosen) {
        return chosen == null || chosen.id == null ? null
                : new OrganizationRole(chosen.id.toString(), chosen.name, chosen.slug, chosen.role, chosen.personal);
    }
}
