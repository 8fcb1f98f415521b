package dev.latchkey.common.input;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.BlockingOperationSupport;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.handlers.FormBodyHandler;
import org.jboss.resteasy.reactive.server.mapping.RuntimeResource;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerHttpRequest;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Reads {@code application/x-www-form-urlencoded} bodies for every endpoint that takes form parameters,
 * strictly: percent-escapes well-formed, bytes that decode, text that {@link TextRules} accepts, at most
 * {@link UrlEncoding#MAX_FIELDS} fields, each field once (but RFC 8707's {@code resource}). The REST layer's own form parser answers a bad escape
 * with a 500 and an undecodable byte with U+FFFD; the fields parsed here are handed to it instead, so it never
 * parses the body itself. An endpoint that takes the body whole (a webhook delivery, which is third-party
 * content verified over its raw bytes) is left alone.
 * <p>
 * Request filters run before the REST layer reads a body. Cost: one pass over the body, which is small
 * (OAuth token requests); a blocking endpoint reads it on its worker thread, any other asynchronously.
 */
@Singleton
public class FormGuard {

    /**
     * The one field that may repeat: RFC 8707's {@code resource}, one per resource server (the endpoint reads every
     * copy and decides; identity's token endpoint answers several with invalid_target).
     */
    private static final String REPEATABLE = "resource";

    private volatile long maxBodyBytes = -1;

    @ServerRequestFilter(priority = 100)
    public void readForm(ResteasyReactiveContainerRequestContext request) throws IOException {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (BodyType.of(contentType) != BodyType.FORM) {
            return;
        }
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        if (context.getFormData() != null || !readsFormParameters(context.getTarget())) {
            // An endpoint that takes the body whole (a webhook delivery, signed over its raw bytes) gets it untouched.
            return;
        }
        Charset charset = BodyType.FORM.charset(contentType);
        if (charset == null) { // InputGuard refuses these before routing; kept for safety
            throw new ApiException(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Send the request body in UTF-8: charset=utf-8, or no charset");
        }
        ServerHttpRequest server = context.serverRequest();
        if (server.isRequestEnded()) {
            accept(context, new byte[0], charset);
        } else if (BlockingOperationSupport.isBlockingAllowed()) {
            accept(context, readAll(context.getInputStream()), charset);
        } else {
            readAsync(request, context, server, charset);
        }
    }

    private void readAsync(ResteasyReactiveContainerRequestContext request, ResteasyReactiveRequestContext context,
            ServerHttpRequest server, Charset charset) {
        long limit = maxBodyBytes();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean[] tooLarge = { false };
        request.suspend();
        server.setReadListener(new ServerHttpRequest.ReadCallback() {
            @Override
            public void data(ByteBuffer data) {
                if (tooLarge[0] || body.size() + (long) data.remaining() > limit) {
                    tooLarge[0] = true;
                    return;
                }
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                body.writeBytes(chunk);
            }

            @Override
            public void done() {
                try {
                    if (tooLarge[0]) {
                        throw tooLarge();
                    }
                    accept(context, body.toByteArray(), charset);
                    request.resume();
                } catch (ApiException e) {
                    request.resume(e);
                }
            }
        });
        server.resumeRequestInput();
    }

    private byte[] readAll(InputStream in) throws IOException {
        long limit = maxBodyBytes();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int read; (read = in.read(buffer)) >= 0;) {
            if (body.size() + (long) read > limit) {
                throw tooLarge();
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
    }

    private static void accept(ResteasyReactiveRequestContext context, byte[] body, Charset charset) {
        FormData form = new FormData(Integer.MAX_VALUE);
        String[] repeated = { null };
        InputProblem problem = UrlEncoding.parseForm(ByteBuffer.wrap(body), charset, (name, value) -> {
            if (repeated[0] == null && form.contains(name) && !REPEATABLE.equals(name)) {
                repeated[0] = name;
            }
            form.add(name, value);
        });
        if (problem != null) {
            throw new ApiException(400, problem.undecodable() ? ErrorCodes.INVALID_ENCODING
                    : ErrorCodes.VALIDATION_FAILED, problem.message());
        }
        if (repeated[0] != null) {
            // OAuth 2.0 forbids it (RFC 6749, 3.1 and 3.2), and which copy an endpoint reads is an accident.
            String name = InputProblem.echoable(repeated[0]);
            throw ApiException.validation((name == null ? "A form field" : "Field '" + name + "'")
                    + " appears more than once");
        }
        context.setFormData(form);
        context.setInputStream(new ByteArrayInputStream(body));
    }

    /** Whether the REST layer would parse this endpoint's body as form parameters (it has a form parser step). */
    private static boolean readsFormParameters(RuntimeResource target) {
        if (target == null) {
            return false;
        }
        for (ServerRestHandler handler : target.getHandlerChain()) {
            if (handler instanceof FormBodyHandler) {
                return true;
            }
        }
        return false;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE, "The request body is too large");
    }

    /** Read on first use: request filters are created before runtime configuration exists. */
    private long maxBodyBytes() {
        long current = maxBodyBytes;
        if (current < 0) {
            current = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                    .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
            maxBodyBytes = current;
        }
        return current;
    }
}
