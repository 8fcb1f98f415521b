package dev.latchkey.common.input;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.common.error.RouteErrors;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, before any route runs, requests whose URL or declared body encoding Latchkey cannot read, so
 * that no endpoint (now or later) answers them with a 500 or works on U+FFFD in place of what was sent:
 * <ul>
 * <li>a path or query string that is not ASCII, not percent-encoded UTF-8, or decodes to text that
 * {@link TextRules} refuses: 400 {@code invalid_encoding} or {@code validation_failed} naming the
 * parameter;</li>
 * <li>a JSON or form body declared in a charset Latchkey does not read it in (see {@link BodyType#charset}),
 * or with a {@code Content-Encoding}: 415 {@code unsupported_media_type}.</li>
 * </ul>
 * The bodies themselves are checked where they are read: JSON by {@link StrictUtf8Decorator} and
 * {@link StrictTextDeserializer}, forms by {@link FormGuard}. Requests that are not valid HTTP at all (a
 * control character in a header, a request target that is not a URI) never get here: the HTTP layer
 * refuses them first with an empty 400.
 * <p>
 * Cost: one pass over the path and query, without allocating unless they contain escapes; a header lookup.
 */
@ApplicationScoped
public class InputGuard {

    private final RouteErrors errors;

    public InputGuard(RouteErrors errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        // Right after UnmatchedRouteHandler's declared-length check (Integer.MIN_VALUE), before every other route.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        InputProblem problem = UrlEncoding.checkPath(request.path());
        if (problem == null && request.query() != null) {
            problem = UrlEncoding.checkQuery(request.query());
        }
        if (problem != null) {
            refuse(ctx, 400, problem.undecodable() ? ErrorCodes.INVALID_ENCODING : ErrorCodes.VALIDATION_FAILED,
                    problem.message());
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        BodyType type = BodyType.of(contentType);
        if (type != BodyType.OTHER) {
            if (type.charset(contentType) == null) {
                refuse(ctx, 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                        "Send the request body in UTF-8: charset=utf-8, or no charset");
                return;
            }
            String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
            if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
                refuse(ctx, 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Encoding is not supported: send the request body uncompressed");
                return;
            }
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, int status, String code, String message) {
        if (!ctx.request().isEnded() && ctx.request().version() != HttpVersion.HTTP_2) {
            // The body is left unread: the HTTP/1 connection cannot carry another request.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        errors.write(ctx, status, code, message);
    }
}
