package dev.latchkey.webhook.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;

/** Other people's code on the same vectors: what they sign we accept, what they refuse we refuse. */
class InteropTest {

    final SignatureVerifier verifier = new SignatureVerifier(Duration.ofMinutes(5), Clock.systemUTC());

    static Headers headers(Map<String, String> values) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(values);
        return ci::get;
    }

    @Test
    void standardWebhooksLibrarySignsWhatWeVerifyAndVerifiesWhatWeAccept() throws Exception {
        String secret = SigningSecrets.generate(Scheme.STANDARD);
        String body = "{\"type\":\"invoice.paid\",\"data\":{\"n\":\"\\u00e9t\u00e9\"}}";
        long now = System.currentTimeMillis() / 1000;
        Webhook library = new Webhook(secret);
        String signature = library.sign("msg_interop", now, body);
        Map<String, String> sent = Map.of("webhook-id", "msg_interop", "webhook-timestamp", String.valueOf(now),
                "webhook-signature", signature);
        Verdict ours = verifier.verify(Scheme.STANDARD, HeaderNames.DEFAULT, headers(sent),
                body.getBytes(StandardCharsets.UTF_8), List.of(SigningSecrets.hmacKey(Scheme.STANDARD, secret)));
        assertTrue(ours.accepted());
        assertEquals("invoice.paid", ours.eventType());
        // Their verifier agrees on the same delivery, and refuses the tampered one as we do.
        library.verify(body, Map.of("webhook-id", List.of("msg_interop"), "webhook-timestamp",
                List.of(String.valueOf(now)), "webhook-signature", List.of(signature)));
        String tampered = body.replace("paid", "void");
        assertThrows(WebhookVerificationException.class, () -> library.verify(tampered, Map.of("webhook-id",
                List.of("msg_interop"), "webhook-timestamp", List.of(String.valueOf(now)), "webhook-signature",
                List.of(signature))));
        assertEquals(Rejection.INVALID_SIGNATURE, verifier.verify(Scheme.STANDARD, HeaderNames.DEFAULT, headers(sent),
                tampered.getBytes(StandardCharsets.UTF_8), List.of(SigningSecrets.hmacKey(Scheme.STANDARD, secret)))
                .rejection());
    }

    @Test
    void svixIsTheStandardSchemeUnderSvixHeaders() throws Exception {
        String secret = SigningSecrets.generate(Scheme.SVIX);
        String body = "{\"type\":\"user.created\",\"data\":{}}";
        long now = System.currentTimeMillis() / 1000;
        String signature = new Webhook(secret).sign("msg_svix", now, body);
        Verdict ours = verifier.verify(Scheme.SVIX, HeaderNames.DEFAULT, headers(Map.of("svix-id", "msg_svix",
                "svix-timestamp", String.valueOf(now), "svix-signature", signature)),
                body.getBytes(StandardCharsets.UTF_8), List.of(SigningSecrets.hmacKey(Scheme.SVIX, secret)));
        assertTrue(ours.accepted());
        // The very same signature is a Standard Webhooks signature: the library verifies it under its header names.
        new Webhook(secret).verify(body, Map.of("webhook-id", List.of("msg_svix"), "webhook-timestamp",
                List.of(String.valueOf(now)), "webhook-signature", List.of(signature)));
    }

    @Test
    void stripeJavaConstructEventAgreesWithUsOnTheSameVector() throws Exception {
        String secret = "whsec_" + "test_secret_for_interop_1234";
        String body = "{\"id\":\"evt_1NG8Du2eZvKYlo2CUI79vXWy\",\"object\":\"event\",\"api_version\":\"2022-11-15\","
                + "\"type\":\"customer.created\",\"data\":{\"object\":{\"id\":\"cus_1\",\"object\":\"customer\"}}}";
        long now = System.currentTimeMillis() / 1000;
        String header = "t=" + now + ",v1=" + com.stripe.net.Webhook.Util.computeHmacSha256(secret, now + "." + body);
        Event event = com.stripe.net.Webhook.constructEvent(body, header, secret);
        Verdict ours = verifier.verify(Scheme.STRIPE, HeaderNames.DEFAULT, headers(Map.of("Stripe-Signature", header)),
                body.getBytes(StandardCharsets.UTF_8), List.of(SigningSecrets.hmacKey(Scheme.STRIPE, secret)));
        assertTrue(ours.accepted());
        assertEquals(event.getId(), ours.deliveryId());
        assertEquals(event.getType(), ours.eventType());

        String tampered = body.replace("cus_1", "cus_2");
        assertThrows(SignatureVerificationException.class,
                () -> com.stripe.net.Webhook.constructEvent(tampered, header, secret));
        assertEquals(Rejection.INVALID_SIGNATURE, verifier.verify(Scheme.STRIPE, HeaderNames.DEFAULT,
                headers(Map.of("Stripe-Signature", header)), tampered.getBytes(StandardCharsets.UTF_8),
                List.of(SigningSecrets.hmacKey(Scheme.STRIPE, secret))).rejection());

        // Both refuse a correctly signed event older than their 300-second tolerance.
        long old = now - 301;
        String oldHeader = "t=" + old + ",v1=" + com.stripe.net.Webhook.Util.computeHmacSha256(secret, old + "." + body);
        assertThrows(SignatureVerificationException.class,
                () -> com.stripe.net.Webhook.constructEvent(body, oldHeader, secret, 300));
        assertEquals(Rejection.TIMESTAMP_OUT_OF_WINDOW, verifier.verify(Scheme.STRIPE, HeaderNames.DEFAULT,
                headers(Map.of("Stripe-Signature", oldHeader)), body.getBytes(StandardCharsets.UTF_8),
                List.of(SigningSecrets.hmacKey(Scheme.STRIPE, secret))).rejection());
    }

    @Test
    void aStripeHeaderOurVerifierAcceptsIsOneStripeJavaAcceptsAtAFixedTime() throws Exception {
        // A fixed vector: stripe-java checks it at the signing time through its Clock parameter, and so do we.
        String secret = "whsec_fixed_vector_secret_0001";
        String body = "{\"id\":\"evt_fixed\",\"object\":\"event\",\"type\":\"charge.succeeded\",\"data\":{\"object\":{}}}";
        long t = 1_700_000_000L;
        String header = "t=" + t + ",v1=" + com.stripe.net.Webhook.Util.computeHmacSha256(secret, t + "." + body);
        Clock then = Clock.fixed(Instant.ofEpochSecond(t + 10), ZoneOffset.UTC);
        assertEquals("evt_fixed", com.stripe.net.Webhook.constructEvent(body, header, secret, 300, then).getId());
        assertTrue(new SignatureVerifier(Duration.ofMinutes(5), then).verify(Scheme.STRIPE, HeaderNames.DEFAULT,
                headers(Map.of("Stripe-Signature", header)), body.getBytes(StandardCharsets.UTF_8),
                List.of(SigningSecrets.hmacKey(Scheme.STRIPE, secret))).accepted());
    }
}
