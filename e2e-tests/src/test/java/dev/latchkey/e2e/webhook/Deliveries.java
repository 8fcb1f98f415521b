package dev.latchkey.e2e.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.latchkey.testing.TestTokens;

/** Signs deliveries as each provider's documentation says (the interop with their libraries is tested in the module). */
final class Deliveries {

    private Deliveries() {
    }

    static String ownerToken(String organization) {
        return TestTokens.access(organization).subject("user:" + UUID.randomUUID()).claim("roles", List.of("owner")).sign();
    }

    static Map<String, String> sign(String scheme, String secret, String body, String id) {
        long t = System.currentTimeMillis() / 1000;
        Map<String, String> headers = new LinkedHashMap<>();
        switch (scheme) {
            case "github" -> {
                headers.put("X-Hub-Signature-256", "sha256=" + hex(hmac(secret.getBytes(StandardCharsets.UTF_8), body)));
                headers.put("X-GitHub-Delivery", id);
                headers.put("X-GitHub-Event", "push");
            }
            case "stripe" -> headers.put("Stripe-Signature",
                    "t=" + t + ",v1=" + hex(hmac(secret.getBytes(StandardCharsets.UTF_8), t + "." + body)));
            case "standard", "svix" -> {
                byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
                String prefix = scheme.equals("svix") ? "svix-" : "webhook-";
                headers.put(prefix + "id", id);
                headers.put(prefix + "timestamp", String.valueOf(t));
                headers.put(prefix + "signature", "v1," + Base64.getEncoder().encodeToString(hmac(key, id + "." + t + "." + body)));
            }
            default -> {
                headers.put("X-Signature", hex(hmac(secret.getBytes(StandardCharsets.UTF_8), t + "." + id + "." + body)));
                headers.put("X-Timestamp", String.valueOf(t));
                headers.put("X-Nonce", id);
            }
        }
        return headers;
    }

    static String body(String scheme, String id) {
        return scheme.equals("stripe")
                ? "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"invoice.paid\",\"data\":{\"object\":{}}}"
                : "{\"type\":\"thing.happened\",\"marker\":\"" + id + "\"}";
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
