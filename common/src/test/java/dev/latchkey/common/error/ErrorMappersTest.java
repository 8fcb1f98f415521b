package dev.latchkey.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ErrorMappersTest {

    @Test
    void fieldNamesAreReportedAsTheCallerWroteThem() {
        assertEquals("api_key", ErrorMappers.snakeCase("apiKey"));
        assertEquals("tenant_id", ErrorMappers.snakeCase("tenantId"));
        assertEquals("name", ErrorMappers.snakeCase("name"));
    }

    @Test
    void everyClientStatusHasAStableCodeAndReason() {
        assertEquals("method_not_allowed", ErrorMappers.codeFor(405));
        assertEquals("payload_too_large", ErrorMappers.codeFor(413));
        assertEquals("Method Not Allowed", ErrorMappers.reason(405));
        assertEquals("Too Many Requests", ErrorMappers.reason(429));
    }

    @Test
    void requestIdsFromCallersAreKeptOnlyWhenPlain() {
        assertEquals("abc-123", RequestIds.fromHeader("abc-123"));
        assertNotEquals("<script>", RequestIds.fromHeader("<script>"));
        assertNotEquals("a".repeat(65), RequestIds.fromHeader("a".repeat(65)));
        assertEquals(36, RequestIds.fromHeader(null).length());
    }

    @Test
    void anOutageOfADependencyIsTold503NotABug() {
        // What a saturated reactive pool and a refused database connection look like, wrapped as Hibernate does.
        assertNotNull(ErrorMappers.outage(new RuntimeException(new io.vertx.core.impl.NoStackTraceThrowable("Timeout"))));
        assertNotNull(ErrorMappers.outage(new IllegalStateException(new java.net.ConnectException("Connection refused"))));
        assertNotNull(ErrorMappers.outage(new java.util.concurrent.TimeoutException()));
        // A bug stays a bug.
        assertNull(ErrorMappers.outage(new NullPointerException()));
        assertNull(ErrorMappers.outage(new IllegalStateException(new io.vertx.core.impl.NoStackTraceThrowable("boom"))));
    }
}
