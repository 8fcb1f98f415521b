package dev.latchkey.common.error;

import java.util.UUID;
import java.util.regex.Pattern;

/** Correlation ids: a caller's {@code X-Request-Id} is kept when it is short and plain, else a new one is made. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    public static String fromHeader(String header) {
        return header != null && SAFE.matcher(header).matches() ? header : UUID.randomUUID().toString();
    }
}
