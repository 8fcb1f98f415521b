package dev.latchkey.common.error;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The one error body every Latchkey service returns for every 4xx and 5xx.
 *
 * @param error     the HTTP reason phrase, e.g. {@code Not Found}
 * @param code      a stable snake_case code; part of the API contract
 * @param message   for humans; never contains a secret or an internal detail
 * @param requestId correlates the response with the service's log
 */
@Schema(name = "Error", description = "Error body returned with every 4xx and 5xx response")
public record ErrorBody(
        @Schema(examples = "Not Found") String error,
        @Schema(examples = "not_found") String code,
        @Schema(examples = "Organization not found") String message,
        @JsonProperty("request_id") String requestId) {
}
