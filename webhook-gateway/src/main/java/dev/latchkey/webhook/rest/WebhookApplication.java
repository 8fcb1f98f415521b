package dev.latchkey.webhook.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

// Security schemes: latchkey-common's SecuritySchemesFilter declares them for every service.
@OpenAPIDefinition(info = @Info(title = "Latchkey webhook-gateway", version = "v1",
        description = "Inbound webhooks: signatures, timestamp windows, replay protection, durable inbox."))
public class WebhookApplication extends Application {
}
