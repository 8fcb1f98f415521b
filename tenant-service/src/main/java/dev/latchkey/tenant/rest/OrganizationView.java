package dev.latchkey.tenant.rest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.tenant.domain.Organization;
import dev.latchkey.tenant.domain.OrganizationRow;

/** An organization as every endpoint shows it. */
public record OrganizationView(String id, String name, String slug,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "A user's personal organization "
                + "(created at sign-up; it has one member and cannot be deleted or left)") boolean personal,
        @JsonProperty("created_at") Instant createdAt) {

    static OrganizationView of(Organization org) {
        return new OrganizationView(org.id.toString(), org.name, org.slug, org.personal(), org.createdAt);
    }

    static OrganizationView of(OrganizationRow org) {
        return new OrganizationView(org.id().toString(), org.name(), org.slug(), org.personal(), org.createdAt());
    }
}
