package dev.latchkey.webhook.signature;

import java.util.Locale;

/** How a provider signs its deliveries. Every scheme is HMAC-SHA256 over the raw body bytes. */
public enum Scheme {
    /** {@code X-Hub-Signature-256: sha256=<hex>} over the body; CauseFlow's {@code X-Webhook-Signature} too. */
    GITHUB,
    /** {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]} over {@code t.body}, keyed by the whole secret. */
    STRIPE,
    /** Standard Webhooks: {@code webhook-id/-timestamp/-signature}, {@code v1,<base64>} over {@code id.t.body}. */
    STANDARD,
    /** Svix (Clerk and others): the Standard Webhooks scheme under {@code svix-*} header names. */
    SVIX,
    /**
     * Configurable headers, hex HMAC over {@code timestamp.nonce.body} (Pisama's n8n uses {@code X-MAO-*}); the
     * nonce is {@code [A-Za-z0-9_-]{1,256}}, so that no '.' can move the boundary between nonce and body.
     */
    GENERIC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scheme named {@code value} (case-insensitive), or null. */
    public static Scheme parse(String value) {
        if (value == null) {
            return null;
        }
        for (Scheme scheme : values()) {
            if (scheme.wireName().equalsIgnoreCase(value.trim())) {
                return scheme;
            }
        }
        return null;
    }

    /**
     * Whether deliveries also need the organization's API key unless the provider says otherwise: only where
     * the signature is the sender's own construction and the sender is typically a customer's tool.
     */
    public boolean requiresApiKeyByDefault() {
        return this == GENERIC;
    }

    /** Whether the scheme signs a timestamp (GitHub signs none; replays of it are stopped by delivery id). */
    public boolean signsTimestamp() {
        return this != GITHUB;
    }
}
