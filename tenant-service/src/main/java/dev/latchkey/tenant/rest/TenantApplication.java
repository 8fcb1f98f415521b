package dev.latchkey.tenant.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

// Security schemes: latchkey-common's SecuritySchemesFilter declares them for every service.
@OpenAPIDefinition(info = @Info(title = "Latchkey tenant-service", version = "v1",
        description = "Organizations, memberships, roles, invitations."))
public class TenantApplication extends Application {
}
