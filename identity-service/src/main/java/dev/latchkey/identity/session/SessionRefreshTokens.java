package dev.latchkey.identity.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.latchkey.common.crypto.Secrets;

/**
 * Refresh tokens that carry their session and generation, so that a rotation is one update of the session's row.
 * Every use rotates the token: presenting one that was already rotated means two parties hold the same session (a
 * stolen token), so the whole session ends, unless it happens within a short grace window after the rotation,
 * which tolerates a client's legitimate double send (two tabs, a retried request).
 * <p>
 * A token is {@code lkr_} + base64url(session id (16 bytes) | generation (4) | random (32) | MAC (16)): 95
 * characters. The session row stores the SHA-256 of its current token (and of its grace-window siblings and of
 * the token rotated last), never a token. A presented token is first checked against its MAC, an HMAC-SHA256 under a
 * key derived from identity's key-encryption key; then against the row:
 * <ul>
 * <li>the current generation with a stored hash: rotate;</li>
 * <li>the previous generation, the hash of the token rotated last, within the grace window: a client's double
 * send (a retry whose answer was lost); it gets a sibling of the current token, and all of them stay valid until
 * one of them is rotated, so the session goes on with whichever the client kept, and never forks;</li>
 * <li>any other generation at or below the current one: a rotated token presented again. Its MAC proves this
 * server issued it for this session, so it is a replay: the session ends.</li>
 * </ul>
 * Without the MAC, anyone who saw a session id (the {@code sid} claim of an access token) could make up an "old"
 * token and end the session; with it, only the tokens this server issued count.
 */
public final class SessionRefreshTokens {

    public static final String PREFIX = "lkr_";

    /** What to do with a presented refresh token. */
    public enum Decision {
        /** Current token: rotate it and issue new tokens. */
        ROTATE,
        /** Already rotated, but within the grace window: issue new tokens without ending the session. */
        GRACE,
        /** Already rotated, past the grace window: replay of a stolen token; end the session. */
        REUSE,
        /** The session has passed its absolute lifetime. */
        EXPIRED,
        /** The session was ended (logout, reuse, password change, an operator). */
        ENDED,
        /** No such session. */
        UNKNOWN
    }

    private static final int ID = 16;
    private static final int GENERATION = 4;
    private static final int RANDOM = 32;
    private static final int MAC = 16;
    private static final int BYTES = ID + GENERATION + RANDOM + MAC;
    /** {@code lkr_} and 68 bytes in unpadded base64url. */
    public static final int LENGTH = PREFIX.length() + (BYTES * 4 + 2) / 3;
    private static final byte[] LABEL = "latchkey refresh-token mac v1".getBytes(StandardCharsets.US_ASCII);

    /** A token whose MAC holds: which session, which generation, and its hash (hex), as stored. */
    public record Parsed(UUID sessionId, int generation, String hash) {
    }

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /** @param kek identity's key-encryption key; the MAC key is derived from it, under its own label */
    public SessionRefreshTokens(byte[] kek) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(kek, "HmacSHA256"), LABEL), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A new token of {@code generation} for {@code sessionId}. */
    public String issue(UUID sessionId, int generation) {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        buffer.putLong(sessionId.getMostSignificantBits()).putLong(sessionId.getLeastSignificantBits())
                .putInt(generation).put(Secrets.randomBytes(RANDOM));
        byte[] bytes = buffer.array();
        System.arraycopy(mac(bytes), 0, bytes, BYTES - MAC, MAC);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code token} has this form's shape (not whether it is genuine). */
    public static boolean looksLike(String token) {
        return token != null && token.length() == LENGTH && token.startsWith(PREFIX);
    }

    /** The token's session, generation and hash; null unless it has this form and its MAC is this server's. */
    public Parsed parse(String token) {
        if (!looksLike(token)) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length != BYTES || !MessageDigest.isEqual(mac(bytes), Arrays.copyOfRange(bytes, BYTES - MAC, BYTES))) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        UUID session = new UUID(buffer.getLong(), buffer.getLong());
        int generation = buffer.getInt();
        return generation < 0 ? null : new Parsed(session, generation, Secrets.sha256Hex(token));
    }

    /** The first {@value #MAC} bytes of the HMAC of everything before the MAC. */
    private byte[] mac(byte[] token) {
        Mac mac = macs.get();
        mac.update(token, 0, BYTES - MAC);
        return Arrays.copyOf(mac.doFinal(), MAC);
    }

    /**
     * What to do with a genuine token (its MAC held), given its session's row.
     *
     * @param presented      the token's generation and hash
     * @param generation     the session's current generation, or null when there is no such session
     * @param current        the hash of the session's current token
     * @param siblings       the hashes of the tokens issued for sends of the previous token within the grace
     *                       window (current too, until one of them is rotated), or null
     * @param previous       the hash of the token rotated last, or null
     * @param refreshedAt    when the session last rotated
     * @param heldUntil      until when the previous token stays accepted regardless of the grace window (its
     *                       successor was never delivered), or null
     * @param sessionEndedAt when the session ended, or null
     * @param sessionExpires the session's absolute end
     */
    public static Decision decide(Parsed presented, Integer generation, String current, String[] siblings,
            String previous, Instant refreshedAt, Instant heldUntil, Instant sessionEndedAt, Instant sessionExpires,
            Instant now, Duration grace) {
        if (presented == null || generation == null) {
            return Decision.UNKNOWN;
        }
        if (sessionEndedAt != null) {
            return Decision.ENDED;
        }
        if (!now.isBefore(sessionExpires)) {
            return Decision.EXPIRED;
        }
        int g = presented.generation();
        if (g > generation) {
            return Decision.UNKNOWN;
        }
        if (g == generation && (equal(presented.hash(), current) || anyEqual(presented.hash(), siblings))) {
            return Decision.ROTATE;
        }
        if (g == generation - 1 && equal(presented.hash(), previous)
                && (refreshedAt != null && now.isBefore(refreshedAt.plus(grace))
                        || heldUntil != null && now.isBefore(heldUntil))) {
            return Decision.GRACE;
        }
        return Decision.REUSE;
    }

    private static boolean anyEqual(String hash, String[] stored) {
        boolean found = false;
        for (String one : stored == null ? new String[0] : stored) {
            found |= equal(hash, one);
        }
        return found;
    }

    private static boolean equal(String hash, String stored) {
        return stored != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                stored.getBytes(StandardCharsets.US_ASCII));
    }
}
