package dev.latchkey.identity.oauth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import dev.latchkey.common.auth.Claims;
import dev.latchkey.common.crypto.Es256;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.identity.keys.SigningKey;

/**
 * OpenID Connect ID tokens (Core §2): for the client ({@code aud} = client id, {@code azp}), about the user who
 * signed in, with the request's {@code nonce} echoed and {@code at_hash} binding the access token issued beside
 * it. Signed ES256 with the same key as access tokens; unlike them it has no {@code token_use} and is never
 * accepted as a bearer token by Latchkey services (their audience is {@code latchkey}, not a client id).
 */
public final class IdTokens {

    private final String issuer;

    public IdTokens(String issuer) {
        this.issuer = issuer;
    }

    /** Who and what the ID token describes; {@code email}/{@code name} only when the scopes allow them. */
    public record Subject(String userId, String clientId, String sessionId, Instant authTime, String nonce,
            String email, Boolean emailVerified, String name) {
    }

    public String sign(Subject subject, String accessToken, SigningKey key, Instant now, Duration ttl) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject.userId());
        claims.setAudience(subject.clientId());
        claims.setStringClaim(Claims.AUTHORIZED_PARTY, subject.clientId());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        if (subject.authTime() != null) {
            claims.setClaim(Claims.AUTH_TIME, subject.authTime().getEpochSecond());
        }
        if (subject.nonce() != null) {
            claims.setStringClaim(Claims.NONCE, subject.nonce());
        }
        if (subject.sessionId() != null) {
            claims.setStringClaim(Claims.SESSION_ID, subject.sessionId());
        }
        if (subject.email() != null) {
            claims.setStringClaim(Claims.EMAIL, subject.email());
            claims.setClaim(Claims.EMAIL_VERIFIED, Boolean.TRUE.equals(subject.emailVerified()));
        }
        if (subject.name() != null) {
            claims.setStringClaim(Claims.NAME, subject.name());
        }
        if (accessToken != null) {
            claims.setStringClaim(Claims.ACCESS_TOKEN_HASH, atHash(accessToken));
        }
        return Es256.sign(Es256.header(key.kid()), claims.toJson(), key.privateKey());
    }

    /** Core §3.1.3.6: base64url of the left half of SHA-256 (ES256's hash) of the access token's ASCII. */
    public static String atHash(String accessToken) {
        byte[] digest = Secrets.sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    }
}
