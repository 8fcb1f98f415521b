package dev.latchkey.identity.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.error.RequestIds;
import dev.latchkey.identity.service.OAuthProblem;
import io.quarkus.logging.Log;

/** Answers {@link OAuthProblem}s in the shape of RFC 6749 §5.2, keeping the project's fields beside it. */
public class OAuthErrorMapper {

    @Schema(name = "OAuthError", description = "RFC 6749 §5.2 error of the token, introspection and revocation "
            + "endpoints, with Latchkey's code, message and request_id")
    public record OAuthErrorBody(@Schema(examples = "invalid_grant") String error,
            @JsonProperty("error_description") String errorDescription,
            @Schema(examples = "refresh_token_reused") String code, String message,
            @JsonProperty("request_id") String requestId) {
    }

    @ServerExceptionMapper
    public Response oauth(OAuthProblem e, HttpHeaders headers) {
        String requestId = RequestIds.fromHeader(headers.getHeaderString(RequestIds.HEADER));
        if (e.status() >= 500) {
            Log.errorf(e, "request %s failed: %s", requestId, e.getMessage());
        }
        Response.ResponseBuilder builder = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .header(RequestIds.HEADER, requestId)
                .header("Cache-Control", "no-store")
                .entity(new OAuthErrorBody(e.error(), e.publicMessage(), e.code(), e.publicMessage(), requestId));
        if (e.status() == 401) {
            // RFC 6749 §5.2: invalid_client answers with the scheme the client may authenticate with.
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"latchkey\"");
        }
        e.headers().forEach(builder::header);
        return builder.build();
    }
}
