package dev.latchkey.common.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests that no route takes, and failures that happen before a request reaches the REST layer (a
 * body over the size limit, say), still get the JSON error body instead of Vert.x' plain or HTML page.
 */
@ApplicationScoped
public class UnmatchedRouteHandler {

    private final ObjectMapper mapper;

    public UnmatchedRouteHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(ctx -> write(ctx, 404));
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (status >= 400 && status < 500 && !ctx.response().headWritten()) {
                write(ctx, status);
            } else {
                ctx.next();
            }
        });
    }

    private void write(RoutingContext ctx, int status) {
        String requestId = RequestIds.fromHeader(ctx.request().getHeader(RequestIds.HEADER));
        ErrorBody body = new ErrorBody(ErrorMappers.reason(status), ErrorMappers.codeFor(status),
                ErrorMappers.messageFor(status), requestId);
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            json = "{\"error\":\"Error\",\"code\":\"internal_error\"}";
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(RequestIds.HEADER, requestId)
                .end(json);
    }
}
