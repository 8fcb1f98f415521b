package dev.latchkey.common.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Declares the two ways to call Latchkey in every service's OpenAPI document, in one place: the bearer
 * access token from identity-service and an API key header. Endpoints name the scheme they take with
 * {@code @SecurityRequirement}.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class SecuritySchemesFilter implements OASFilter {

    public static final String BEARER = "bearer";
    public static final String API_KEY = "apiKey";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents()
                .addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token from identity-service: POST /v1/auth/token"))
                .addSecurityScheme(API_KEY, OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-API-Key")
                        .description("An API key issued by apikey-service"));
    }
}
