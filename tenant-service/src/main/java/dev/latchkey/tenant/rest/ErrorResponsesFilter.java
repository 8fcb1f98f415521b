package dev.latchkey.tenant.rest;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The error responses that every authenticated endpoint shares, declared once instead of on every method: 401
 * {@code auth_required} wherever a token is needed; on organization endpoints 403 ({@code access_denied} for a
 * role that may not, {@code scope_insufficient} for a read-only or project-scoped API key) and 404 {@code
 * not_found}, which is also the answer for another organization's ids. Endpoint-specific statuses stay on the
 * methods.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ErrorResponsesFilter implements OASFilter {

    private static final String ERROR_BODY = "#/components/schemas/ErrorBody";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation operation : path.getValue().getOperations().values()) {
                boolean authenticated = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
                if (!authenticated || operation.getResponses() == null) {
                    continue;
                }
                add(operation, "401", "auth_required: no valid token or API key");
                if (path.getKey().startsWith("/v1/organizations/{id}")) {
                    add(operation, "403", "access_denied: the caller's role may not do this; scope_insufficient: "
                            + "the API key is read-only, or limited to projects or branches");
                    add(operation, "404", "not_found: no such organization (or another organization's, which "
                            + "answers exactly the same)");
                }
            }
        }
    }

    private static void add(Operation operation, String status, String description) {
        if (operation.getResponses().getAPIResponse(status) != null) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_BODY))));
        operation.getResponses().addAPIResponse(status, response);
    }
}
