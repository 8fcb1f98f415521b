package dev.latchkey.common.auth;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.latchkey.common.crypto.Secrets;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;

/**
 * Verifies bearer tokens with smallrye-jwt (against identity-service's JWKS) and remembers each verified
 * token until it expires, so that a signature (about 0.5 ms of CPU for ES256) is checked once per token
 * and instance instead of once per request.
 * <p>
 * The cache key is the SHA-256 of the whole compact token: a token that differs in any byte, a tampered
 * one included, misses the cache and is verified in full. Entries never outlive the token's {@code exp}
 * and the cache is bounded. Runs before Quarkus' own {@code MpJwtValidator}, which it replaces.
 */
@ApplicationScoped
public class CachingJwtIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final JWTParser parser;
    private final Cache<ByteBuffer, SecurityIdentity> verified;

    public CachingJwtIdentityProvider(JWTParser parser, AuthConfig config) {
        this.parser = parser;
        this.verified = Caffeine.newBuilder()
                .maximumSize(config.verifiedTokenCacheSize())
                .expireAfter(new UntilTokenExpiry())
                .build();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return SYSTEM_FIRST + 1000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!(request.getToken() instanceof JsonWebTokenCredential)) {
            return Uni.createFrom().nullItem();
        }
        String token = request.getToken().getToken();
        ByteBuffer key = ByteBuffer.wrap(Secrets.sha256(token));
        SecurityIdentity known = verified.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        // A miss may have to fetch the JWKS over HTTP: keep it off the event loop.
        return context.runBlocking(() -> {
            SecurityIdentity identity = verify(request, token);
            verified.put(key, identity);
            return identity;
        });
    }

    private SecurityIdentity verify(TokenAuthenticationRequest request, String token) {
        try {
            VerifiedToken jwt = new VerifiedToken(parser.parse(token));
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(jwt)
                    .addCredential(request.getToken())
                    .addRoles(jwt.getGroups())
                    .addAttribute(SecurityIdentity.USER_ATTRIBUTE, jwt)
                    .build();
        } catch (ParseException e) {
            // The reason (expired, bad signature, wrong issuer...) helps an operator, never the caller.
            Log.debugf("Bearer token rejected: %s", e.getMessage());
            throw new AuthenticationFailedException(e);
        }
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private static final class UntilTokenExpiry implements Expiry<ByteBuffer, SecurityIdentity> {
        @Override
        public long expireAfterCreate(ByteBuffer key, SecurityIdentity identity, long currentTime) {
            long expSeconds = ((VerifiedToken) identity.getPrincipal()).getExpirationTime();
            long remainingMillis = expSeconds * 1000 - System.currentTimeMillis();
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, remainingMillis));
        }

        @Override
        public long expireAfterUpdate(ByteBuffer key, SecurityIdentity identity, long currentTime,
                long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(ByteBuffer key, SecurityIdentity identity, long currentTime,
                long currentDuration) {
            return currentDuration;
        }
    }

}
