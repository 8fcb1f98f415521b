package dev.latchkey.identity.oauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.latchkey.common.crypto.Secrets;

/**
 * CSRF protection of the sign-in pages' forms: a synchronizer token bound to a browser cookie (OWASP's "signed
 * double-submit cookie"). The browser holds a random, HttpOnly cookie; each form carries
 * {@code HMAC-SHA256(key, purpose || cookie)}. Another site can make the browser send the cookie but can neither
 * read it nor compute the token, and a token from one browser is worthless in another. Stateless, so every
 * replica checks it alike when they share the key.
 */
public final class Csrf {

    private final byte[] key;

    /** @param key at least 32 bytes, the same on every replica */
    public Csrf(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the CSRF key needs at least 32 bytes");
        }
        this.key = key.clone();
    }

    /** A new browser binding value for the cookie. */
    public static String newBrowserValue() {
        return Secrets.randomBase62(43);
    }

    /** The form token for a browser's cookie value. */
    public String token(String browserValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = mac.doFinal(("latchkey-csrf\0" + browserValue).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
        }
    }

    /** Whether {@code formToken} was issued for the browser holding {@code browserValue}; constant time. */
    public boolean valid(String browserValue, String formToken) {
        if (browserValue == null || formToken == null || browserValue.length() != 43 || formToken.length() > 100) {
            return false;
        }
        return MessageDigest.isEqual(token(browserValue).getBytes(StandardCharsets.US_ASCII),
                formToken.getBytes(StandardCharsets.US_ASCII));
    }
}
