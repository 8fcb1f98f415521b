package dev.latchkey.identity.oauth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

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
        claims.setStringClaim("azp", subject.clientId());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        if (subject.authTime() != null) {
            claims.setClaim("auth_time", subject.authTime().getEpochSecond());
        }
        if (subject.nonce() != null) {
            claims.setStringClaim("nonce", subject.nonce());
        }
        if (subject.sessionId() != null) {
            claims.setStringClaim("sid", subject.sessionId());
        }
        if (subject.email() != null) {
            claims.setStringClaim("email", subject.email());
            claims.setClaim("email_verified", Boolean.TRUE.equals(subject.emailVerified()));
        }
        if (subject.name() != null) {
            claims.setStringClaim("name", subject.name());
        }
        if (accessToken != null) {
            claims.setStringClaim("at_hash", atHash(accessToken));
        }
        return Es256.sign(Es256.header(key.kid()), claims.toJson(), key.privateKey());
    }

    /** Core §3.1.3.6: base64url of the left half of SHA-256 (ES256's hash) of the access token's ASCII. */
    public static String atHash(String accessToken) {
        byte[] digest = Secrets.sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    }
}
