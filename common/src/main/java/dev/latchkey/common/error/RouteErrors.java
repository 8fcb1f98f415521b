package dev.latchkey.common.error;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes the error body from a Vert.x route handler, for requests refused before they reach the REST layer
 * (and so its exception mappers).
 */
@ApplicationScoped
public class RouteErrors {

    private final ObjectMapper mapper;

    public RouteErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The default code and message of {@code status}. */
    public void write(RoutingContext ctx, int status) {
        write(ctx, status, ErrorMappers.codeFor(status), ErrorMappers.messageFor(status));
    }

    public void write(RoutingContext ctx, int status, String code, String message) {
        String requestId = RequestIds.fromHeader(ctx.request().getHeader(RequestIds.HEADER));
        String json;
        try {
            json = mapper.writeValueAsString(new ErrorBody(ErrorMappers.reason(status), code, message, requestId));
        } catch (JsonProcessingException e) {
            json = "{\"error\":\"Error\",\"code\":\"internal_error\"}";
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(RequestIds.HEADER, requestId);
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().end(json);
    }
}
