package dev.latchkey.webhook.signature;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import dev.latchkey.common.crypto.Secrets;

/**
 * Verifies one delivery of any {@link Scheme}: HMAC-SHA256 over the raw body bytes (never re-serialised),
 * compared in constant time against every active key of the provider, then the signed timestamp against the
 * window (both past and future). The signature is checked before the timestamp so that an unauthenticated
 * sender learns nothing from the order of checks.
 * <p>
 * Cost: one HMAC per (key, signature) pair over the body, linear in its size; Stripe and Standard Webhooks
 * bodies are also scanned once by a streaming JSON parser for their {@code id}/{@code type}. No allocation of
 * the body, no I/O. Thread-safe.
 */
public final class SignatureVerifier {

    static final int MAX_ID = 256;
    static final String GITHUB_SIGNATURE = "X-Hub-Signature-256";
    static final String CAUSEFLOW_SIGNATURE = "X-Webhook-Signature";
    static final String GITHUB_DELIVERY = "X-GitHub-Delivery";
    static final String GITHUB_EVENT = "X-GitHub-Event";
    static final String STRIPE_SIGNATURE = "Stripe-Signature";

    private final Duration window;
    private final Clock clock;

    public SignatureVerifier(Duration window, Clock clock) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the timestamp window must be positive");
        }
        this.window = window;
        this.clock = clock;
    }

    /**
     * @param scheme  the provider's scheme
     * @param names   the generic scheme's header names (ignored by the others)
     * @param headers the request's headers
     * @param body    the body exactly as received
     * @param keys    HMAC keys of the provider's active secrets ({@link SigningSecrets#hmacKey}); any may match
     */
    public Verdict verify(Scheme scheme, HeaderNames names, Headers headers, byte[] body, List<byte[]> keys) {
        return switch (scheme) {
            case GITHUB -> github(headers, body, keys);
            case STRIPE -> stripe(headers, body, keys);
            case STANDARD -> standard(headers, body, keys, "webhook-id", "webhook-timestamp", "webhook-signature");
            case SVIX -> standard(headers, body, keys, "svix-id", "svix-timestamp", "svix-signature");
            case GENERIC -> generic(names, headers, body, keys);
        };
    }

    private Verdict github(Headers headers, byte[] body, List<byte[]> keys) {
        String header = GITHUB_SIGNATURE;
        String value = headers.get(GITHUB_SIGNATURE);
        if (value == null) {
            header = CAUSEFLOW_SIGNATURE;
            value = headers.get(CAUSEFLOW_SIGNATURE);
        }
        if (value == null) {
            return Verdict.rejected(Rejection.MISSING_HEADER,
                    "The " + GITHUB_SIGNATURE + " (or " + CAUSEFLOW_SIGNATURE + ") header is missing");
        }
        byte[] signature = value.startsWith("sha256=") ? Hmac.hex32(value.substring(7).trim()) : null;
        if (signature == null) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER, "The " + header + " header must be sha256=<64 hex digits>");
        }
        if (!Hmac.anyMatches(keys, List.of(signature), body)) {
            return invalidSignature();
        }
        String delivery = headers.get(GITHUB_DELIVERY);
        if (delivery != null && (delivery.isBlank() || delivery.length() > MAX_ID)) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER, "The " + GITHUB_DELIVERY + " header is malformed");
        }
        String event = headers.get(GITHUB_EVENT);
        return Verdict.accepted(delivery != null ? delivery.trim() : bodyId(body),
                event == null || event.isBlank() || event.length() > MAX_ID ? null : event.trim());
    }

    private Verdict stripe(Headers headers, byte[] body, List<byte[]> keys) {
        String value = headers.get(STRIPE_SIGNATURE);
        if (value == null) {
            return Verdict.rejected(Rejection.MISSING_HEADER, "The " + STRIPE_SIGNATURE + " header is missing");
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>(2);
        for (String item : value.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = item.substring(0, eq).trim();
            String part = item.substring(eq + 1).trim();
            if (key.equals("t") && timestamp == null) {
                timestamp = part;
            } else if (key.equals("v1")) {
                byte[] signature = Hmac.hex32(part);
                if (signature != null) {
                    signatures.add(signature);
                }
            }
        }
        Long seconds = seconds(timestamp);
        if (seconds == null || signatures.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER,
                    "The " + STRIPE_SIGNATURE + " header must be t=<unix seconds>,v1=<64 hex digits>");
        }
        if (!Hmac.anyMatches(keys, signatures, ascii(timestamp), body)) {
            return invalidSignature();
        }
        if (!inWindow(seconds)) {
            return outOfWindow();
        }
        PayloadFields.Fields fields = PayloadFields.read(body);
        return Verdict.accepted(fields.id() != null ? fields.id() : bodyId(body), fields.type());
    }

    private Verdict standard(Headers headers, byte[] body, List<byte[]> keys, String idHeader, String timestampHeader,
            String signatureHeader) {
        String id = headers.get(idHeader);
        String timestamp = headers.get(timestampHeader);
        String value = headers.get(signatureHeader);
        String missing = id == null ? idHeader : timestamp == null ? timestampHeader : value == null ? signatureHeader : null;
        if (missing != null) {
            return Verdict.rejected(Rejection.MISSING_HEADER, "The " + missing + " header is missing");
        }
        if (id.isBlank() || id.length() > MAX_ID) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER, "The " + idHeader + " header is malformed");
        }
        Long seconds = seconds(timestamp);
        if (seconds == null) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER, "The " + timestampHeader + " header must be unix seconds");
        }
        List<byte[]> signatures = new ArrayList<>(2);
        for (String entry : value.trim().split(" +")) {
            // "v1,<base64>"; other versions (v1a: asymmetric) are skipped, as the specification asks.
            if (entry.startsWith("v1,")) {
                try {
                    signatures.add(Base64.getDecoder().decode(entry.substring(3)));
                } catch (IllegalArgumentException e) {
                    // an undecodable entry matches nothing
                }
            }
        }
        if (signatures.isEmpty()) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER,
                    "The " + signatureHeader + " header must hold v1,<base64> signatures separated by spaces");
        }
        if (!Hmac.anyMatches(keys, signatures, id.getBytes(StandardCharsets.UTF_8), ascii(timestamp), body)) {
            return invalidSignature();
        }
        if (!inWindow(seconds)) {
            return outOfWindow();
        }
        return Verdict.accepted(id, PayloadFields.read(body).type());
    }

    private Verdict generic(HeaderNames names, Headers headers, byte[] body, List<byte[]> keys) {
        String value = headers.get(names.signature());
        String timestamp = headers.get(names.timestamp());
        String nonce = headers.get(names.nonce());
        String missing = value == null ? names.signature() : timestamp == null ? names.timestamp()
                : nonce == null ? names.nonce() : null;
        if (missing != null) {
            return Verdict.rejected(Rejection.MISSING_HEADER, "The " + missing + " header is missing");
        }
        String hex = value.trim();
        if (hex.regionMatches(true, 0, "sha256=", 0, 7)) {
            hex = hex.substring(7);
        }
        byte[] signature = Hmac.hex32(hex);
        if (signature == null) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER,
                    "The " + names.signature() + " header must be 64 hex digits (optionally after sha256=)");
        }
        Long seconds = seconds(timestamp);
        if (seconds == null) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER, "The " + names.timestamp() + " header must be unix seconds");
        }
        if (!safeNonce(nonce)) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER, "The " + names.nonce() + " header must be 1 to "
                    + MAX_ID + " characters among A-Z, a-z, 0-9, '-' and '_'");
        }
        if (!Hmac.anyMatches(keys, List.of(signature), ascii(timestamp), ascii(nonce), body)) {
            return invalidSignature();
        }
        if (!inWindow(seconds)) {
            return outOfWindow();
        }
        return Verdict.accepted(nonce, null);
    }

    private boolean inWindow(long seconds) {
        long now = clock.millis() / 1000;
        return Math.abs(now - seconds) <= window.toSeconds();
    }

    private Verdict outOfWindow() {
        return Verdict.rejected(Rejection.TIMESTAMP_OUT_OF_WINDOW,
                "The signed timestamp is more than " + window.toSeconds() + " seconds away from the gateway's clock");
    }

    private static Verdict invalidSignature() {
        return Verdict.rejected(Rejection.INVALID_SIGNATURE, "No signature matches the body under the provider's secrets");
    }

    /** Unix seconds written as 1 to 12 ASCII digits (so no sign, no spaces, no overflow), or null. */
    private static Long seconds(String value) {
        if (value == null || value.isEmpty() || value.length() > 12) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(value);
    }

    /**
     * Whether a generic nonce is 1 to {@link #MAX_ID} characters of {@code [A-Za-z0-9_-]}. The scheme signs
     * {@code timestamp.nonce.body}: were a '.' allowed in the nonce, the same signed bytes would also read as
     * another nonce with another body (nonce {@code abc.x} + body {@code rest} = nonce {@code abc} + body
     * {@code x.rest}), a new delivery id that replay protection has never seen. The timestamp is digits only
     * ({@link #seconds}), so with this alphabet the signed bytes have one reading.
     */
    static boolean safeNonce(String nonce) {
        if (nonce.isEmpty() || nonce.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    /** The delivery id of a scheme that names none: the body's digest, so a resent body is a duplicate. */
    static String bodyId(byte[] body) {
        return "sha256:" + HexFormat.of().formatHex(Secrets.sha256(body));
    }
}
