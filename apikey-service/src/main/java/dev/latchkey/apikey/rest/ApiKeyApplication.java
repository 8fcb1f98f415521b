package dev.latchkey.apikey.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

// Security schemes: latchkey-common's SecuritySchemesFilter declares them for every service.
@OpenAPIDefinition(info = @Info(title = "Latchkey apikey-service", version = "v1",
        description = "API keys: issuance, hashing at rest, verification."))
public class ApiKeyApplication extends Application {
}
