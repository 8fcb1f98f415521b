package dev.latchkey.common.error;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.latchkey.common.input.InputProblem;
import dev.latchkey.common.input.UndecodableInputException;
import dev.latchkey.common.input.UnsafeTextException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns every failure into the one error body. Authentication runs lazily
 * ({@code quarkus.http.auth.proactive=false}) so that its failures reach these mappers too.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e, HttpHeaders headers) {
        String requestId = RequestIds.fromHeader(headers.getHeaderString(RequestIds.HEADER));
        if (e.status() >= 500) {
            Log.errorf(e, "request %s failed: %s", requestId, e.getMessage());
        }
        return build(e.status(), e.code(), e.publicMessage(), requestId, e.headers());
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

    @ServerExceptionMapper
    public Response undecodable(UndecodableInputException e, HttpHeaders headers) {
        return respond(400, ErrorCodes.INVALID_ENCODING, e.getMessage(), headers);
    }

    /** Declared for the subtype too: quarkus-rest-jackson's own mapper for it answers with an empty body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, HttpHeaders headers) {
        return json(e, headers);
    }

    /** A DTO Jackson cannot bind is a bug; quarkus-rest-jackson's own mapper for it answers an empty 500. */
    @ServerExceptionMapper
    public Response undefined(InvalidDefinitionException e, HttpHeaders headers) {
        return unexpected(e, headers, null);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpHeaders headers) {
        JsonParseException duplicate = duplicateField(e);
        if (duplicate != null) {
            String field = UnsafeTextException.jsonPath(((JsonParser) duplicate.getProcessor()).getParsingContext());
            return respond(400, ErrorCodes.VALIDATION_FAILED, "Field '" + field + "' appears more than once", headers);
        }
        if (e instanceof JsonParseException || !(e instanceof MismatchedInputException mismatch)) {
            return respond(400, ErrorCodes.MALFORMED_JSON, "The request body is not valid JSON", headers);
        }
        if (e instanceof UnsafeTextException unsafe) {
            String where = unsafe.jsonPath().isEmpty() ? "The request body " : "Field '" + unsafe.jsonPath() + "' ";
            return respond(400, ErrorCodes.VALIDATION_FAILED, where + unsafe.verdict().problem(), headers);
        }
        String field = jsonPath(mismatch.getPath());
        if (e instanceof UnrecognizedPropertyException) {
            return respond(400, ErrorCodes.VALIDATION_FAILED,
                    field.isEmpty() ? "Unknown field" : "Unknown field '" + field + "'", headers);
        }
        if (field.isEmpty()) {
            return respond(400, ErrorCodes.VALIDATION_FAILED, "The request body has the wrong shape", headers);
        }
        String why = e instanceof InvalidFormatException ? "has an invalid value" : "has the wrong type";
        return respond(400, ErrorCodes.VALIDATION_FAILED, "Field '" + field + "' " + why, headers);
    }

    /**
     * The JSON path of a field as the caller wrote it: {@code scopes[2]}, {@code metadata.plan}. A name that is
     * not short and plain (it is the caller's input) is shown as {@code *}.
     */
    static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() == null) {
                out.append('[').append(ref.getIndex() < 0 ? "*" : String.valueOf(ref.getIndex())).append(']');
            } else {
                String name = InputProblem.echoable(ref.getFieldName());
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(name == null ? "*" : name);
            }
        }
        return out.toString();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException cause) {
            return json(cause, headers);
        }
        if (e.getCause() instanceof UndecodableInputException cause) {
            return undecodable(cause, headers);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, headers, null);
        }
        return respond(status, codeFor(status), messageFor(status), headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpHeaders headers, RoutingContext routing) {
        if (clientGone(e)) {
            // The caller hung up while its request was being read: nobody is left to answer, nothing went wrong here.
            Log.debugf("request abandoned by the client: %s", e.getMessage());
            return respond(400, ErrorCodes.BAD_REQUEST, "The request body could not be read", headers);
        }
        if (routing != null && routing.response().headWritten()) {
            // Answered already, below the REST layer: a chunked body over the size limit gets Quarkus' own 413
            // and a closed connection. There is nothing left to say; null leaves it to the REST layer, which
            // only closes the connection.
            Log.debugf(e, "failure after the response was written");
            return null;
        }
        String requestId = RequestIds.fromHeader(headers.getHeaderString(RequestIds.HEADER));
        String outage = outage(e);
        if (outage != null) {
            // The database or another service did not answer in time (a saturated pool, a restart): the
            // client may retry, and it is not a bug to page anyone about.
            Log.warnf("request %s: a dependency is unavailable: %s", requestId, outage);
            return Response.fromResponse(build(503, ErrorCodes.DEPENDENCY_UNAVAILABLE,
                    "A service this request needs is unavailable right now; retry shortly", requestId))
                    .header("Retry-After", "1").build();
        }
        Log.errorf(e, "request %s failed unexpectedly", requestId);
        return build(500, ErrorCodes.INTERNAL_ERROR, "An unexpected error occurred; quote request_id to the operator",
                requestId);
    }

    /** Jackson's duplicate-key refusal, possibly wrapped by the databinding that was reading at the time. */
    private static JsonParseException duplicateField(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException parse && parse.getProcessor() instanceof JsonParser
                    && parse.getOriginalMessage() != null && parse.getOriginalMessage().startsWith("Duplicate field")) {
                return parse;
            }
        }
        return null;
    }

    /**
     * What made a dependency unavailable, if that is why {@code e} happened: a connection refused or closed
     * under us, or a pool or call that timed out (Vert.x reports a pool's acquisition timeout as a bare
     * "Timeout"). Null for anything else, which stays a 500.
     */
    static String outage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String type = cause.getClass().getName();
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof java.net.ConnectException || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof io.netty.channel.ConnectTimeoutException
                    || type.equals("io.vertx.sqlclient.ClosedConnectionException")
                    || type.equals("io.vertx.core.impl.NoStackTraceTimeoutException")
                    || (cause instanceof io.vertx.core.impl.NoStackTraceThrowable && message.startsWith("Timeout"))) {
                return type + ": " + message;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static boolean clientGone(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
        }
        return false;
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
        return build(status, code, message, requestId, java.util.Map.of());
    }

    static Response build(int status, String code, String message, String requestId,
            java.util.Map<String, String> extraHeaders) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(RequestIds.HEADER, requestId)
                .entity(new ErrorBody(reason(status), code, message, requestId));
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        extraHeaders.forEach(builder::header);
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
