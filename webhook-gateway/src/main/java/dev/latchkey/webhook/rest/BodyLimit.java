package dev.latchkey.webhook.rest;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.common.error.RequestIds;
import dev.latchkey.webhook.config.WebhookConfig;
import dev.latchkey.webhook.service.DeliveryMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * Refuses a delivery whose declared length is over {@code latchkey.webhook.max-body-size} with 413 before its
 * body is read or anything else is looked at; the rejection is counted. (A chunked body without a length is cut
 * off at the same size by the HTTP layer, {@code quarkus.http.limits.max-body-size}, and by the resource.)
 * Registered before latchkey-common's general handler so that webhook rejections are counted.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;
    private final DeliveryMetrics metrics;

    public BodyLimit(WebhookConfig config, DeliveryMetrics metrics) {
        this.maxBytes = config.maxBodySize().asLongValue();
        this.metrics = metrics;
    }

    void register(@Observes @Priority(1) Router router) {
        router.post("/v1/webhooks/:organization/:provider").order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length)) {
                // Counted under "unknown": the name in the path is the sender's, and nobody has looked it up yet
                // (taking it as a label would let anyone create metric series at will).
                metrics.rejected(ErrorCodes.PAYLOAD_TOO_LARGE, DeliveryMetrics.UNKNOWN);
                String requestId = RequestIds.fromHeader(ctx.request().getHeader(RequestIds.HEADER));
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(RequestIds.HEADER, requestId)
                        .end(Json.encode(new ErrorBody("Content Too Large", ErrorCodes.PAYLOAD_TOO_LARGE,
                                "The request body is over " + maxBytes + " bytes", requestId)));
            } else {
                ctx.next();
            }
        });
    }

    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
