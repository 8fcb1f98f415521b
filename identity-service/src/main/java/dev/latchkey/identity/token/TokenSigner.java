package dev.latchkey.identity.token;

import java.time.Instant;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import dev.latchkey.common.auth.Claims;
import dev.latchkey.common.crypto.Es256;
import dev.latchkey.identity.keys.KeyStatus;
import dev.latchkey.identity.keys.SigningKey;

/**
 * Builds and signs access tokens (JWS compact, ES256, {@code kid} header): the registered claims, then
 * {@code tenant_id}, {@code scope} and {@code token_use}, then the request's own ({@link AccessClaims} assembles
 * them), all named by common's {@link Claims}. Signing only: verifying is the resource servers' business, done
 * against the published JWKS (common's {@code VerifiedToken} reads the same claims).
 */
public final class TokenSigner {

    private final String issuer;
    private final String audience;

    public TokenSigner(String issuer, String audience) {
        this.issuer = issuer;
        this.audience = audience;
    }

    public SignedToken sign(TokenRequest request, SigningKey key, Instant now) {
        if (key.status() != KeyStatus.ACTIVE) {
            throw new IllegalArgumentException("Key " + key.kid() + " is " + key.status() + " and may not sign");
        }
        Instant expiresAt = now.plus(request.ttl());
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(request.audience() == null ? audience : request.audience());
        claims.setSubject(request.subject());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        if (request.tenantId() != null) {
            claims.setStringClaim(Claims.TENANT_ID, request.tenantId());
        }
        claims.setStringClaim(Claims.SCOPE, String.join(" ", request.scopes()));
        claims.setStringClaim(Claims.TOKEN_USE, request.tokenUse());
        request.claims().forEach(claims::setClaim);

        if (!"ES256".equals(key.algorithm())) {
            throw new IllegalArgumentException("Unsupported signing algorithm " + key.algorithm());
        }
        return new SignedToken(Es256.sign(Es256.header(key.kid()), claims.toJson(), key.privateKey()), expiresAt);
    }

    public record SignedToken(String compact, Instant expiresAt) {
        @Override
        public String toString() {
            return "SignedToken[expiresAt=" + expiresAt + "]";
        }
    }
}
