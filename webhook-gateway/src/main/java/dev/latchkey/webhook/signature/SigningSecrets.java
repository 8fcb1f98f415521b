package dev.latchkey.webhook.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.latchkey.common.crypto.Secrets;

/**
 * Signing secrets as each scheme writes them, and the HMAC key each scheme derives from them. Standard
 * Webhooks and Svix key the HMAC with the base64-decoded part after {@code whsec_}; Stripe keys it with the
 * whole {@code whsec_...} string as UTF-8; GitHub and generic senders with the secret's UTF-8 bytes.
 */
public final class SigningSecrets {

    public static final String WHSEC = "whsec_";
    private static final int MIN_TEXT_SECRET = 16;
    private static final int MAX_SECRET = 512;

    private SigningSecrets() {
    }

    /** A fresh secret in the scheme's own format, 256 bits of randomness. */
    public static String generate(Scheme scheme) {
        return switch (scheme) {
            case STANDARD, SVIX -> WHSEC + Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
            case STRIPE -> WHSEC + Secrets.randomBase62(43);
            case GITHUB, GENERIC -> Secrets.randomBase62(43);
        };
    }

    /** Why {@code secret} cannot be this scheme's secret, or null when it can. Never echoes the secret. */
    public static String problem(Scheme scheme, String secret) {
        if (secret == null || secret.isBlank()) {
            return "'secret' must not be blank";
        }
        if (secret.length() > MAX_SECRET) {
            return "'secret' must be at most " + MAX_SECRET + " characters";
        }
        return switch (scheme) {
            case STANDARD, SVIX -> {
                byte[] key = standardKey(secret);
                yield key == null || key.length < 24 || key.length > 64
                        ? "'secret' must be whsec_ followed by the base64 of 24 to 64 bytes" : null;
            }
            case STRIPE -> secret.startsWith(WHSEC) && secret.length() >= WHSEC.length() + MIN_TEXT_SECRET ? null
                    : "'secret' must be Stripe's signing secret, whsec_ followed by at least 16 characters";
            case GITHUB, GENERIC -> secret.length() >= MIN_TEXT_SECRET ? null
                    : "'secret' must be at least " + MIN_TEXT_SECRET + " characters";
        };
    }

    /** The HMAC key of a valid secret (see {@link #problem}). */
    public static byte[] hmacKey(Scheme scheme, String secret) {
        return switch (scheme) {
            case STANDARD, SVIX -> {
                byte[] key = standardKey(secret);
                if (key == null) {
                    throw new IllegalArgumentException("not a whsec_ secret");
                }
                yield key;
            }
            case STRIPE, GITHUB, GENERIC -> secret.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] standardKey(String secret) {
        String encoded = secret.startsWith(WHSEC) ? secret.substring(WHSEC.length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
