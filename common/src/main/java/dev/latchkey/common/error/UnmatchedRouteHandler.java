package dev.latchkey.common.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests that no route takes, and failures that happen before a request reaches the REST layer (a
 * body over the size limit, say), still get the JSON error body instead of Vert.x' plain or HTML page.
 */
@ApplicationScoped
public class UnmatchedRouteHandler {

    private final RouteErrors errors;
    private final long maxBodyBytes;

    public UnmatchedRouteHandler(RouteErrors errors,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize maxBody) {
        this.errors = errors;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        // Vert.x would answer an oversized body with an empty 413; a declared length lets us answer first.
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length)) {
                if (ctx.request().version() != HttpVersion.HTTP_2) {
                    // The body is left unread: the HTTP/1 connection cannot carry another request. (HTTP/2
                    // forbids the header: the stream is reset instead.)
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
                write(ctx, 413);
            } else {
                ctx.next();
            }
        });
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

    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void write(RoutingContext ctx, int status) {
        errors.write(ctx, status);
    }
}
