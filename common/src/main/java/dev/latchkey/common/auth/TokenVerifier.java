package dev.latchkey.common.auth;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.latchkey.common.concurrent.Worker;
import dev.latchkey.common.crypto.Es256;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;

/**
 * Verifies bearer tokens with smallrye-jwt against identity-service's JWKS ({@code mp.jwt.verify.*}), admits only
 * access and service tokens ({@code token_use}), and remembers each verified token until it expires, so that a
 * signature is checked once per token and instance instead of once per request. The ES256 check itself is {@link Es256}'s (Bouncy Castle's P-256 code, several
 * times cheaper than the JDK's), installed into the jose4j that smallrye-jwt verifies with.
 * <p>
 * The cache key is the SHA-256 of the whole compact token: a token that differs in any byte, a tampered one
 * included, misses the cache and is verified in full. Entries never outlive the token's {@code exp}, and the
 * cache is bounded (Caffeine, per-entry expiry).
 */
// @Singleton, not @ApplicationScoped: no client proxy on the per-request path.
@Singleton
public class TokenVerifier {

    static {
        // Before any token is parsed: jose4j's algorithm registry is per JVM.
        Es256.installIntoJose4j();
    }

    private final JWTParser parser;
    private final Cache<ByteBuffer, VerifiedToken> verified;

    public TokenVerifier(JWTParser parser, AuthConfig config) {
        this.parser = parser;
        this.verified = Caffeine.newBuilder()
                .maximumSize(config.verifiedTokenCacheSize())
                .expireAfter(new UntilTokenExpiry())
                .build();
    }

    /** The token if this instance verified it before and it has not expired; null otherwise. Never blocks. */
    public VerifiedToken remembered(String token) {
        return verified.getIfPresent(key(token));
    }

    /**
     * Verifies {@code token}: from memory when possible, else in full on a worker thread (a first token may
     * need the JWKS fetched over HTTP). Fails with 401 {@code auth_required} for any invalid token; why it
     * was refused goes to the debug log only.
     */
    public Uni<VerifiedToken> verify(String token) {
        ByteBuffer key = key(token);
        VerifiedToken known = verified.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        // A first token may need the JWKS over HTTP: verify on a worker.
        return Worker.call(() -> verifyNow(key, token));
    }

    /** The token of an {@code Authorization: Bearer ...} header value; 401 when there is none. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.authRequired();
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.length() > 8192) {
            throw ApiException.authRequired();
        }
        return token;
    }

    private VerifiedToken verifyNow(ByteBuffer key, String token) {
        try {
            VerifiedToken fresh = new VerifiedToken(parser.parse(token));
            if (!Claims.ACCESS.equals(fresh.tokenUse()) && !Claims.SERVICE.equals(fresh.tokenUse())) {
                // An OpenID Connect ID token is signed by the same keys but carries no token_use: it tells a client
                // who signed in and is never a bearer credential, even when its aud (a client id) passes.
                Log.debugf("bearer token refused: token_use %s", fresh.tokenUse());
                throw ApiException.authRequired();
            }
            verified.put(key, fresh);
            return fresh;
        } catch (ParseException e) {
            Log.debugf("bearer token refused: %s", e.getMessage());
            throw ApiException.authRequired();
        }
    }

    private static ByteBuffer key(String token) {
        return ByteBuffer.wrap(Secrets.sha256(token));
    }

    private static final class UntilTokenExpiry implements Expiry<ByteBuffer, VerifiedToken> {
        @Override
        public long expireAfterCreate(ByteBuffer key, VerifiedToken token, long currentTime) {
            long remainingMillis = token.getExpirationTime() * 1000 - System.currentTimeMillis();
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, remainingMillis));
        }

        @Override
        public long expireAfterUpdate(ByteBuffer key, VerifiedToken token, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(ByteBuffer key, VerifiedToken token, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
