package dev.latchkey.identity.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

// Security schemes: latchkey-common's SecuritySchemesFilter declares them for every service.
@OpenAPIDefinition(info = @Info(title = "Latchkey identity-service", version = "v1",
        description = "Sign-in, access tokens, JWKS and discovery."))
public class IdentityApplication extends Application {
}
