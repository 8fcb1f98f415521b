package dev.latchkey.common.error;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into the one error body. Authentication runs lazily
 * ({@code quarkus.http.auth.proactive=false}) so that its failures reach these mappers too.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e, HttpHeaders headers) {
        if (e.status() >= 500) {
            String requestId = RequestIds.fromHeader(headers.getHeaderString(RequestIds.HEADER));
            Log.errorf(e, "request %s failed: %s", requestId, e.getMessage());
            return build(e.status(), e.code(), e.publicMessage(), requestId);
        }
        return respond(e.status(), e.code(), e.publicMessage(), headers);
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(HttpHeaders headers) {
        return respond(401, ErrorCodes.AUTH_REQUIRED, "A valid bearer token is required", headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return respond(403, ErrorCodes.ACCESS_DENIED, "The caller is not allowed to do this", headers);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, HttpHeaders headers) {
        String message = e.getConstraintViolations().stream()
                .map(ErrorMappers::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(400, ErrorCodes.VALIDATION_FAILED, message.isEmpty() ? "Invalid request" : message, headers);
    }

    /** Declared for the subtype too: quarkus-rest-jackson's own mapper for it answers with an empty body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, HttpHeaders headers) {
        return json(e, headers);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpHeaders headers) {
        if (e instanceof JsonParseException || !(e instanceof MismatchedInputException mismatch)) {
            return respond(400, ErrorCodes.MALFORMED_JSON, "The request body is not valid JSON", headers);
        }
        String field = mismatch.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (e instanceof UnrecognizedPropertyException) {
            return respond(400, ErrorCodes.VALIDATION_FAILED, "Unknown field '" + field + "'", headers);
        }
        if (field.isEmpty()) {
            return respond(400, ErrorCodes.VALIDATION_FAILED, "The request body has the wrong shape", headers);
        }
        String why = e instanceof InvalidFormatException ? "has an invalid value" : "has the wrong type";
        return respond(400, ErrorCodes.VALIDATION_FAILED, "Field '" + field + "' " + why, headers);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException cause) {
            return json(cause, headers);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, headers);
        }
        return respond(status, codeFor(status), messageFor(status), headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpHeaders headers) {
        String requestId = RequestIds.fromHeader(headers.getHeaderString(RequestIds.HEADER));
        Log.errorf(e, "request %s failed unexpectedly", requestId);
        return build(500, ErrorCodes.INTERNAL_ERROR, "An unexpected error occurred; quote request_id to the operator",
                requestId);
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> ErrorCodes.BAD_REQUEST;
            case 401 -> ErrorCodes.AUTH_REQUIRED;
            case 403 -> ErrorCodes.ACCESS_DENIED;
            case 404 -> ErrorCodes.NOT_FOUND;
            case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCodes.NOT_ACCEPTABLE;
            case 409 -> ErrorCodes.CONFLICT;
            case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCodes.RATE_LIMITED;
            default -> ErrorCodes.BAD_REQUEST;
        };
    }

    static String messageFor(int status) {
        return switch (status) {
            case 401 -> "A valid bearer token is required";
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed on this resource";
            case 406 -> "This resource answers with application/json only";
            case 413 -> "The request body is too large";
            case 415 -> "Send the request body as application/json";
            default -> "The request is invalid";
        };
    }

    static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return switch (status) {
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> "Error";
        };
    }

    private static Response respond(int status, String code, String message, HttpHeaders headers) {
        return build(status, code, message, RequestIds.fromHeader(headers.getHeaderString(RequestIds.HEADER)));
    }

    static Response build(int status, String code, String message, String requestId) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(RequestIds.HEADER, requestId)
                .entity(new ErrorBody(reason(status), code, message, requestId));
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // Drop the method and parameter name ("create.request.name" -> "name").
        int dot = path.indexOf('.', path.indexOf('.') + 1);
        String field = dot >= 0 ? snakeCase(path.substring(dot + 1)) : "body";
        return "'" + field + "' " + violation.getMessage();
    }

    /** Request bodies are snake_case JSON; report the field as the caller wrote it. */
    static String snakeCase(String javaName) {
        return javaName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
