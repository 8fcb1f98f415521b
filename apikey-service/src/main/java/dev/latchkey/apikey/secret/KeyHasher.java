package dev.latchkey.apikey.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;


/**
 * What is stored of a key: HMAC-SHA-256 of the key under a server-side pepper. A fast keyed hash is right for
 * keys of 214 random bits (unlike passwords, there is nothing for a slow hash to protect), and the pepper means
 * that a copy of the database alone does not even let anyone test a candidate key. Verification hashes the
 * presented key and looks the row up by hash, so no secret is compared in application code.
 * <p>
 * Peppers rotate: a key is looked up under the current pepper and every previous one (one query, {@code
 * key_hash = any(...)}), and a row found under a previous pepper is re-hashed under the current one, since the
 * plaintext is at hand. Each stored hash names its scheme ({@code hmac-sha256:<pepper id>}), so an operator can
 * see when no row needs an old pepper any more.
 */
public final class KeyHasher {

    /** A pepper must carry at least 256 bits; 32 characters of a base64 or hex secret come close enough. */
    static final int MIN_PEPPER_CHARS = 32;

    private final Pepper current;
    private final List<Pepper> previous;

    /** One way a key may be stored: the scheme and the hash under it. */
    public record Candidate(String scheme, byte[] hash) {
    }

    private record Pepper(String scheme, SecretKeySpec key) {
    }

    /**
     * @param pepper          the current pepper (new and re-hashed keys use it)
     * @param previousPeppers peppers used before, still accepted for lookup; may be empty
     * @throws IllegalArgumentException if a pepper is shorter than 32 characters or one is repeated
     */
    public KeyHasher(String pepper, List<String> previousPeppers) {
        this.current = pepper(pepper);
        List<Pepper> older = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        seen.add(current.scheme());
        for (String value : previousPeppers) {
            Pepper p = pepper(value);
            if (!seen.add(p.scheme())) {
                throw new IllegalArgumentException("a pepper is listed twice (as current or previous)");
            }
            older.add(p);
        }
        this.previous = List.copyOf(older);
    }

    /** The scheme new hashes are stored under: {@code hmac-sha256:<first 8 hex of the pepper's fingerprint>}. */
    public String currentScheme() {
        return current.scheme();
    }

    /** The hash to store for {@code key}, under the current pepper. */
    public byte[] hash(String key) {
        return hmac(current.key(), key);
    }

    /** Every hash {@code key} may be stored under, the current pepper's first. */
    public List<Candidate> candidates(String key) {
        List<Candidate> out = new ArrayList<>(previous.size() + 1);
        out.add(new Candidate(current.scheme(), hash(key)));
        for (Pepper p : previous) {
            out.add(new Candidate(p.scheme(), hmac(p.key(), key)));
        }
        return out;
    }

    private static Pepper pepper(String value) {
        if (value == null || value.strip().length() < MIN_PEPPER_CHARS) {
            throw new IllegalArgumentException("an API-key pepper must be at least " + MIN_PEPPER_CHARS
                    + " characters (e.g. openssl rand -base64 32)");
        }
        SecretKeySpec key = new SecretKeySpec(value.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        // A fingerprint names the pepper in each row without revealing anything usable about it.
        String id = HexFormat.of().formatHex(hmac(key, "latchkey api-key pepper id")).substring(0, 8);
        return new Pepper("hmac-sha256:" + id, key);
    }

    private static byte[] hmac(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is required by every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "KeyHasher[current=" + current.scheme() + ", previous=" + previous.size() + "]";
    }
}
