package dev.latchkey.webhook.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.latchkey.webhook.testing.Senders;

class SignatureVerifierTest {

    static final long NOW = 1_700_000_000L;
    static final Duration WINDOW = Duration.ofMinutes(5);
    final SignatureVerifier verifier = new SignatureVerifier(WINDOW,
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    static Headers headers(Map<String, String> values) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(values);
        return ci::get;
    }

    Verdict verify(Scheme scheme, Map<String, String> headers, String body, String... secrets) {
        List<byte[]> keys = java.util.Arrays.stream(secrets).map(s -> SigningSecrets.hmacKey(scheme, s)).toList();
        return verifier.verify(scheme, HeaderNames.DEFAULT, headers(headers), body.getBytes(StandardCharsets.UTF_8), keys);
    }

    static String name(Scheme scheme) {
        return scheme.wireName();
    }

    @Nested
    class PublishedVectors {

        @Test
        void githubsDocumentedSecretPayloadAndSignature() {
            // docs.github.com, "Validating webhook deliveries" > "Testing the webhook payload validation".
            Verdict verdict = new SignatureVerifier(WINDOW, Clock.systemUTC()).verify(Scheme.GITHUB, HeaderNames.DEFAULT,
                    headers(Map.of("X-Hub-Signature-256",
                            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")),
                    "Hello, World!".getBytes(StandardCharsets.UTF_8),
                    List.of("It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8)));
            assertTrue(verdict.accepted(), String.valueOf(verdict));
            assertEquals("sha256:dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f", verdict.deliveryId());
        }

        @Test
        void causeFlowsHeaderCarriesTheSameSignature() {
            Verdict verdict = new SignatureVerifier(WINDOW, Clock.systemUTC()).verify(Scheme.GITHUB, HeaderNames.DEFAULT,
                    headers(Map.of("X-Webhook-Signature",
                            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")),
                    "Hello, World!".getBytes(StandardCharsets.UTF_8),
                    List.of("It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8)));
            assertTrue(verdict.accepted());
        }

        @Test
        void standardWebhooksSpecificationExample() {
            SignatureVerifier atSigningTime = new SignatureVerifier(WINDOW,
                    Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC));
            Map<String, String> sent = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp",
                    "1614265330", "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
            Verdict verdict = atSigningTime.verify(Scheme.STANDARD, HeaderNames.DEFAULT, headers(sent),
                    "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
                    List.of(SigningSecrets.hmacKey(Scheme.STANDARD, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
            assertTrue(verdict.accepted());
            assertEquals("msg_p5jXN8AQM9LWM0D4loKWxJek", verdict.deliveryId());
            // The same example a second later than the window allows.
            SignatureVerifier later = new SignatureVerifier(WINDOW,
                    Clock.fixed(Instant.ofEpochSecond(1614265330 + 301), ZoneOffset.UTC));
            assertEquals(Rejection.TIMESTAMP_OUT_OF_WINDOW, later.verify(Scheme.STANDARD, HeaderNames.DEFAULT,
                    headers(sent), "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
                    List.of(SigningSecrets.hmacKey(Scheme.STANDARD, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                    .rejection());
        }
    }

    @Nested
    class EveryScheme {

        String secret(Scheme scheme) {
            return SigningSecrets.generate(scheme);
        }

        @ParameterizedTest
        @EnumSource(Scheme.class)
        void aValidDeliveryIsAcceptedWithItsIdAndType(Scheme scheme) {
            String secret = secret(scheme);
            String body = Senders.body(name(scheme), "evt_42");
            Verdict verdict = verify(scheme, Senders.sign(name(scheme), secret, body, NOW, "evt_42"), body, secret);
            assertTrue(verdict.accepted(), String.valueOf(verdict));
            assertEquals("evt_42", verdict.deliveryId());
            switch (scheme) {
                case GITHUB -> assertEquals("push", verdict.eventType());
                case STRIPE -> assertEquals("payment_intent.succeeded", verdict.eventType());
                case STANDARD, SVIX -> assertEquals("user.created", verdict.eventType());
                case GENERIC -> assertNull(verdict.eventType());
            }
        }

        @ParameterizedTest
        @EnumSource(Scheme.class)
        void aTamperedBodyIsRefused(Scheme scheme) {
            String secret = secret(scheme);
            String body = Senders.body(name(scheme), "evt_1");
            Map<String, String> headers = Senders.sign(name(scheme), secret, body, NOW, "evt_1");
            for (String tampered : List.of(body.replace("evt_1", "evt_2"), body + " ", body.substring(1),
                    body.replace('}', ']'))) {
                assertEquals(Rejection.INVALID_SIGNATURE, verify(scheme, headers, tampered, secret).rejection());
            }
        }

        @ParameterizedTest
        @EnumSource(Scheme.class)
        void anotherSecretIsRefused(Scheme scheme) {
            String body = Senders.body(name(scheme), "evt_1");
            Map<String, String> headers = Senders.sign(name(scheme), secret(scheme), body, NOW, "evt_1");
            assertEquals(Rejection.INVALID_SIGNATURE, verify(scheme, headers, body, secret(scheme)).rejection());
        }

        @ParameterizedTest
        @EnumSource(Scheme.class)
        void duringRotationTheOldAndTheNewSecretBothWork(Scheme scheme) {
            String old = secret(scheme);
            String fresh = secret(scheme);
            String body = Senders.body(name(scheme), "evt_1");
            assertTrue(verify(scheme, Senders.sign(name(scheme), old, body, NOW, "a"), body, old, fresh).accepted());
            assertTrue(verify(scheme, Senders.sign(name(scheme), fresh, body, NOW, "b"), body, old, fresh).accepted());
            assertEquals(Rejection.INVALID_SIGNATURE,
                    verify(scheme, Senders.sign(name(scheme), old, body, NOW, "c"), body, fresh).rejection());
        }

        @ParameterizedTest
        @EnumSource(Scheme.class)
        void withoutItsSignatureHeaderADeliveryIsMissingAHeader(Scheme scheme) {
            String secret = secret(scheme);
            String body = Senders.body(name(scheme), "evt_1");
            Map<String, String> headers = new HashMap<>(Senders.sign(name(scheme), secret, body, NOW, "evt_1"));
            headers.keySet().removeIf(h -> h.toLowerCase(Locale.ROOT).contains("signature"));
            Verdict verdict = verify(scheme, headers, body, secret);
            assertEquals(Rejection.MISSING_HEADER, verdict.rejection());
            assertTrue(verdict.message().contains("header is missing"));
        }

        @ParameterizedTest
        @EnumSource(Scheme.class)
        void malformedSignatureHeadersAreSaidToBeMalformed(Scheme scheme) {
            String secret = secret(scheme);
            String body = Senders.body(name(scheme), "evt_1");
            Map<String, String> headers = new HashMap<>(Senders.sign(name(scheme), secret, body, NOW, "evt_1"));
            String signatureHeader = headers.keySet().stream()
                    .filter(h -> h.toLowerCase(Locale.ROOT).contains("signature")).findFirst().orElseThrow();
            for (String garbage : List.of("", "sha1=abc", "v0=zz", "t=,v1=", "sha256=" + "g".repeat(64), "deadbeef")) {
                headers.put(signatureHeader, garbage);
                assertEquals(Rejection.MALFORMED_HEADER, verify(scheme, headers, body, secret).rejection(),
                        "'" + garbage + "'");
            }
        }

        @ParameterizedTest
        @EnumSource(value = Scheme.class, names = "GITHUB", mode = EnumSource.Mode.EXCLUDE)
        void theWindowHoldsToTheSecondOnBothSides(Scheme scheme) {
            String secret = secret(scheme);
            String body = Senders.body(name(scheme), "evt_1");
            for (long offset : new long[] { -300, 300, 0 }) {
                assertTrue(verify(scheme, Senders.sign(name(scheme), secret, body, NOW + offset, "a"), body, secret)
                        .accepted(), "offset " + offset);
            }
            for (long offset : new long[] { -301, 301, -86_400, 86_400 }) {
                assertEquals(Rejection.TIMESTAMP_OUT_OF_WINDOW,
                        verify(scheme, Senders.sign(name(scheme), secret, body, NOW + offset, "a"), body, secret)
                                .rejection(), "offset " + offset);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Scheme.class, names = "GITHUB", mode = EnumSource.Mode.EXCLUDE)
        void aTimestampMovedAfterSigningBreaksTheSignature(Scheme scheme) {
            String secret = secret(scheme);
            String body = Senders.body(name(scheme), "evt_1");
            Map<String, String> old = Senders.sign(name(scheme), secret, body, NOW - 3600, "a");
            Map<String, String> moved = new HashMap<>();
            old.forEach((k, v) -> moved.put(k, v.replace(String.valueOf(NOW - 3600), String.valueOf(NOW))));
            assertEquals(Rejection.INVALID_SIGNATURE, verify(scheme, moved, body, secret).rejection());
        }

        @ParameterizedTest
        @EnumSource(value = Scheme.class, names = "GITHUB", mode = EnumSource.Mode.EXCLUDE)
        void nonNumericTimestampsAreMalformed(Scheme scheme) {
            String secret = secret(scheme);
            String body = Senders.body(name(scheme), "evt_1");
            Map<String, String> signed = Senders.sign(name(scheme), secret, body, NOW, "a");
            for (String bad : List.of("-1", "1e9", "17000000000000", "abc")) {
                Map<String, String> headers = new HashMap<>();
                signed.forEach((k, v) -> headers.put(k, v.replace(String.valueOf(NOW), bad)));
                assertEquals(Rejection.MALFORMED_HEADER, verify(scheme, headers, body, secret).rejection(), bad);
            }
        }
    }

    @Nested
    class SchemeDetails {

        @Test
        void stripeAcceptsAnyOfSeveralV1SignaturesAndIgnoresV0() throws Exception {
            String secret = SigningSecrets.generate(Scheme.STRIPE);
            String body = Senders.body("stripe", "evt_9");
            String good = Senders.hmacHex(secret, NOW + "." + body);
            String header = "t=" + NOW + ",v0=" + "0".repeat(64) + ",v1=" + "1".repeat(64) + ",v1=" + good;
            assertTrue(verify(Scheme.STRIPE, Map.of("Stripe-Signature", header), body, secret).accepted());
            String onlyV0 = "t=" + NOW + ",v0=" + good;
            assertEquals(Rejection.MALFORMED_HEADER,
                    verify(Scheme.STRIPE, Map.of("Stripe-Signature", onlyV0), body, secret).rejection());
        }

        @Test
        void standardWebhooksSkipsUnknownVersionsAndAcceptsAnyV1() {
            String secret = SigningSecrets.generate(Scheme.STANDARD);
            String body = "{\"type\":\"a\"}";
            Map<String, String> signed = new HashMap<>(Senders.sign("standard", secret, body, NOW, "msg_1"));
            signed.put("webhook-signature", "v1a,AAAA v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
                    + signed.get("webhook-signature"));
            assertTrue(verify(Scheme.STANDARD, signed, body, secret).accepted());
        }

        @Test
        void svixHeadersAreNotStandardHeadersAndViceVersa() {
            String secret = SigningSecrets.generate(Scheme.SVIX);
            String body = "{}";
            assertEquals(Rejection.MISSING_HEADER,
                    verify(Scheme.SVIX, Senders.sign("standard", secret, body, NOW, "m"), body, secret).rejection());
            assertEquals(Rejection.MISSING_HEADER,
                    verify(Scheme.STANDARD, Senders.sign("svix", secret, body, NOW, "m"), body, secret).rejection());
        }

        @Test
        void genericHeaderNamesAreThoseOfTheProvider() throws Exception {
            String secret = SigningSecrets.generate(Scheme.GENERIC);
            String body = "{\"executionId\":\"123\"}";
            String signature = Senders.hmacHex(secret, NOW + ".n-1." + body);
            HeaderNames mao = HeaderNames.of("X-MAO-Signature", "X-MAO-Timestamp", "X-MAO-Nonce");
            Map<String, String> sent = Map.of("X-MAO-Signature", "sha256=" + signature.toUpperCase(Locale.ROOT),
                    "X-MAO-Timestamp", String.valueOf(NOW), "X-MAO-Nonce", "n-1");
            Verdict verdict = verifier.verify(Scheme.GENERIC, mao, headers(sent), body.getBytes(StandardCharsets.UTF_8),
                    List.of(secret.getBytes(StandardCharsets.UTF_8)));
            assertTrue(verdict.accepted());
            assertEquals("n-1", verdict.deliveryId());
            assertEquals(Rejection.MISSING_HEADER, verifier.verify(Scheme.GENERIC, HeaderNames.DEFAULT, headers(sent),
                    body.getBytes(StandardCharsets.UTF_8), List.of(secret.getBytes(StandardCharsets.UTF_8))).rejection());
        }

        @Test
        void theGenericNonceIsSignedSoItCannotBeSwapped() {
            String secret = SigningSecrets.generate(Scheme.GENERIC);
            Map<String, String> signed = new HashMap<>(Senders.sign("generic", secret, "{}", NOW, "nonce-1"));
            signed.put("X-Nonce", "nonce-2");
            assertEquals(Rejection.INVALID_SIGNATURE, verify(Scheme.GENERIC, signed, "{}", secret).rejection());
        }

        /**
         * The generic scheme joins timestamp, nonce and body with '.', so a nonce that may hold a '.' lets the
         * boundary between nonce and body move: the same signed bytes read as a new nonce (no replay is seen)
         * and another body.
         */
        @Test
        void aCapturedGenericDeliveryCannotBeResentWithTheNonceBodyBoundaryMoved() throws Exception {
            String secret = SigningSecrets.generate(Scheme.GENERIC);
            String body = "{\"type\":\"payment_intent.succeeded\",\"amount\":1000}";
            Map<String, String> captured = Senders.sign("generic", secret, body, NOW, "n-1");
            assertTrue(verify(Scheme.GENERIC, captured, body, secret).accepted());

            Map<String, String> forged = new HashMap<>(captured);
            forged.put("X-Nonce", "n-1.{\"type\":\"payment_intent");
            assertEquals(Rejection.MALFORMED_HEADER,
                    verify(Scheme.GENERIC, forged, "succeeded\",\"amount\":1000}", secret).rejection());

            // A sender's own dotted nonce is refused too: with no '.' in the timestamp or the nonce, the signed
            // bytes have one reading only (timestamp up to the first '.', nonce up to the second, then the body).
            Map<String, String> dotted = Senders.sign("generic", secret, "rest", NOW, "abc.x");
            assertEquals(Rejection.MALFORMED_HEADER, verify(Scheme.GENERIC, dotted, "rest", secret).rejection());
        }

        @Test
        void aGenericNonceIsOneTo256LettersDigitsHyphensOrUnderscores() {
            String secret = SigningSecrets.generate(Scheme.GENERIC);
            for (String good : List.of("a", "n-1", "evt_42", "A-Za-z0-9_-", "x".repeat(256),
                    "3f2c1b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f")) {
                assertTrue(verify(Scheme.GENERIC, Senders.sign("generic", secret, "{}", NOW, good), "{}", secret)
                        .accepted(), good);
            }
            for (String bad : List.of(".", "a.b", "a b", "a/b", "a+b=", "a:b", "a,b", "\u00e9t\u00e9", "x".repeat(257))) {
                Verdict verdict = verify(Scheme.GENERIC, Senders.sign("generic", secret, "{}", NOW, bad), "{}", secret);
                assertEquals(Rejection.MALFORMED_HEADER, verdict.rejection(), bad);
                assertTrue(verdict.message().contains("X-Nonce"), verdict.message());
            }
        }

        /** The timestamp cannot take the boundary either: it is digits only, so it never holds a '.'. */
        @Test
        void theGenericTimestampCannotTakeInTheNonce() throws Exception {
            String secret = SigningSecrets.generate(Scheme.GENERIC);
            Map<String, String> captured = Senders.sign("generic", secret, "abc.def", NOW, "n-1");
            Map<String, String> forged = new HashMap<>(captured);
            forged.put("X-Timestamp", NOW + ".n-1");
            forged.put("X-Nonce", "abc");
            assertEquals(Rejection.MALFORMED_HEADER, verify(Scheme.GENERIC, forged, "def", secret).rejection());
        }

        @Test
        void githubWithoutADeliveryIdIsIdentifiedByItsBody() throws Exception {
            String secret = SigningSecrets.generate(Scheme.GITHUB);
            Verdict one = verify(Scheme.GITHUB, Map.of("X-Webhook-Signature", "sha256=" + Senders.hmacHex(secret, "a")),
                    "a", secret);
            Verdict same = verify(Scheme.GITHUB, Map.of("X-Webhook-Signature", "sha256=" + Senders.hmacHex(secret, "a")),
                    "a", secret);
            assertTrue(one.deliveryId().startsWith("sha256:"));
            assertEquals(one.deliveryId(), same.deliveryId());
        }

        @Test
        void noSecretsMatchNothing() {
            String secret = SigningSecrets.generate(Scheme.GITHUB);
            assertEquals(Rejection.INVALID_SIGNATURE,
                    verify(Scheme.GITHUB, Senders.sign("github", secret, "{}"), "{}").rejection());
        }
    }

    @Nested
    class Secrets {

        @Test
        void generatedSecretsHaveTheSchemesFormatAndAreValid() {
            for (Scheme scheme : Scheme.values()) {
                String secret = SigningSecrets.generate(scheme);
                assertNull(SigningSecrets.problem(scheme, secret), scheme.name());
                assertEquals(scheme == Scheme.STANDARD || scheme == Scheme.SVIX || scheme == Scheme.STRIPE,
                        secret.startsWith("whsec_"), scheme.name());
            }
            assertEquals(32, SigningSecrets.hmacKey(Scheme.STANDARD, SigningSecrets.generate(Scheme.STANDARD)).length);
        }

        @Test
        void suppliedSecretsAreCheckedWithoutBeingEchoed() {
            String problem = SigningSecrets.problem(Scheme.STANDARD, "whsec_not*base64");
            assertTrue(problem.contains("whsec_"));
            assertTrue(!problem.contains("not*base64"));
            assertTrue(SigningSecrets.problem(Scheme.GITHUB, "short") != null);
            assertTrue(SigningSecrets.problem(Scheme.STRIPE, "sk_live_1234567890abcdef") != null);
            assertNull(SigningSecrets.problem(Scheme.GITHUB, "It's a Secret to Everybody"));
        }
    }
}
