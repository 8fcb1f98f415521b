package dev.latchkey.webhook.testing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.standardwebhooks.Webhook;

/**
 * Signs deliveries the way each provider does, with the providers' own libraries where they publish one:
 * Standard Webhooks' Java library for standard/svix, stripe-java's HMAC helper for Stripe. GitHub and generic
 * senders have no Java signer; they are plain HMAC-SHA256 as their documentation describes.
 */
public final class Senders {

    private Senders() {
    }

    /** Headers of a delivery signed at {@code timestamp} (unix seconds) with {@code id} as delivery id/nonce. */
    public static Map<String, String> sign(String scheme, String secret, String body, long timestamp, String id) {
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            switch (scheme) {
                case "github" -> {
                    headers.put("X-Hub-Signature-256", "sha256=" + hmacHex(secret, body));
                    headers.put("X-GitHub-Delivery", id);
                    headers.put("X-GitHub-Event", "push");
                }
                case "stripe" -> headers.put("Stripe-Signature", "t=" + timestamp + ",v1="
                        + com.stripe.net.Webhook.Util.computeHmacSha256(secret, timestamp + "." + body));
                case "standard", "svix" -> {
                    String signature = new Webhook(secret).sign(id, timestamp, body);
                    headers.put(scheme.equals("svix") ? "svix-id" : "webhook-id", id);
                    headers.put(scheme.equals("svix") ? "svix-timestamp" : "webhook-timestamp", String.valueOf(timestamp));
                    headers.put(scheme.equals("svix") ? "svix-signature" : "webhook-signature", signature);
                }
                case "generic" -> {
                    headers.put("X-Signature", hmacHex(secret, timestamp + "." + id + "." + body));
                    headers.put("X-Timestamp", String.valueOf(timestamp));
                    headers.put("X-Nonce", id);
                }
                default -> throw new IllegalArgumentException(scheme);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return headers;
    }

    public static Map<String, String> sign(String scheme, String secret, String body) {
        return sign(scheme, secret, body, now(), "msg_" + UUID.randomUUID());
    }

    /** A body shaped like the scheme's events (Stripe and Standard Webhooks carry id and type in it). */
    public static String body(String scheme, String id) {
        return switch (scheme) {
            case "stripe" -> "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
                    + "\"data\":{\"object\":{\"amount\":2000}}}";
            case "standard", "svix" -> "{\"type\":\"user.created\",\"timestamp\":\"2024-01-01T00:00:00Z\","
                    + "\"data\":{\"id\":\"" + id + "\"}}";
            default -> "{\"ref\":\"refs/heads/main\",\"marker\":\"" + id + "\"}";
        };
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    public static String hmacHex(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
