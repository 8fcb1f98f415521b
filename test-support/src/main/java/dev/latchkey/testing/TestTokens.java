package dev.latchkey.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Tokens signed with a test key that {@link FakeLatchkey} publishes in its JWKS, shaped like identity-service's
 * tokens, plus the broken ones an attacker would try.
 */
public final class TestTokens {

    public static final String ISSUER = "https://test-issuer.latchkey.invalid";
    public static final String AUDIENCE = "latchkey";
    public static final String KID = "test-key-1";
    /** A second key, published only while a test has FakeLatchkey publish it (key rotation). */
    public static final String ROTATED_KID = "test-key-2";

    private static final KeyPair KEY = generate();
    /** Never published: signatures by it must be refused. */
    private static final KeyPair ROGUE = generate();
    private static final KeyPair ROTATED = generate();

    private TestTokens() {
    }

    public static String jwks() {
        return jwks(false);
    }

    /** The test JWKS; with {@code withRotatedKey} it also publishes {@link #ROTATED_KID}. */
    public static String jwks(boolean withRotatedKey) {
        try {
            JsonWebKeySet set = new JsonWebKeySet(jwk(KEY, KID));
            if (withRotatedKey) {
                set.addJsonWebKey(jwk(ROTATED, ROTATED_KID));
            }
            return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicJsonWebKey jwk(KeyPair pair, String kid) throws Exception {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setKeyId(kid);
        jwk.setAlgorithm("ES256");
        jwk.setUse("sig");
        return jwk;
    }

    public static Builder access(String tenantId, String... scopes) {
        return new Builder().subject("apikey:" + UUID.randomUUID()).tenantId(tenantId).scopes(scopes).tokenUse("access");
    }

    public static Builder service(String name, String... scopes) {
        return new Builder().subject("service:" + name).scopes(scopes).tokenUse("service");
    }

    /** The same claims with {@code alg: none} and no signature. */
    public static String unsigned(String signedToken) {
        String payload = signedToken.split("\\.")[1];
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}").getBytes());
        return header + "." + payload + ".";
    }

    /** The token with one claim changed after signing (the tenant), signature kept. */
    public static String tampered(String signedToken, String otherTenantId) {
        String[] parts = signedToken.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = claims.replaceAll("\"tenant_id\":\"[^\"]*\"", "\"tenant_id\":\"" + otherTenantId + "\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes()) + "." + parts[2];
    }

    public static final class Builder {
        private String subject;
        private String tenantId;
        private List<String> scopes = List.of();
        private String tokenUse;
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private Instant issuedAt = Instant.now();
        private Duration ttl = Duration.ofMinutes(15);
        private KeyPair key = KEY;
        private String kid = KID;
        private final java.util.Map<String, Object> claims = new java.util.LinkedHashMap<>();

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder tenantId(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        public Builder scopes(String... scopes) {
            this.scopes = List.of(scopes);
            return this;
        }

        public Builder tokenUse(String tokenUse) {
            this.tokenUse = tokenUse;
            return this;
        }

        /** A further claim: a string, boolean, number, list or map of those. */
        public Builder claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        /** The {@code roles} claim, e.g. {@code roles("owner")}. */
        public Builder roles(String... roles) {
            return claim("roles", List.of(roles));
        }

        /** A person's token: {@code sub} is the user id, {@code sid} the session. */
        public Builder user(String userId, String sessionId) {
            this.subject = userId;
            return claim("sid", sessionId);
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Issued {@code ago} in the past, living {@code ttl}. */
        public Builder issued(Duration ago, Duration ttl) {
            this.issuedAt = Instant.now().minus(ago);
            this.ttl = ttl;
            return this;
        }

        /** Signed by the rotated key, under its own kid. */
        public Builder signedByRotatedKey() {
            this.key = ROTATED;
            this.kid = ROTATED_KID;
            return this;
        }

        /** Signed by a key that is not in the JWKS, under the published kid. */
        public Builder signedByRogueKey() {
            this.key = ROGUE;
            return this;
        }

        public Builder kid(String kid) {
            this.kid = kid;
            return this;
        }

        public String sign() {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience(audience);
            claims.setSubject(subject);
            claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
            claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(ttl).getEpochSecond()));
            claims.setJwtId(UUID.randomUUID().toString());
            if (tenantId != null) {
                claims.setStringClaim("tenant_id", tenantId);
            }
            claims.setStringClaim("scope", String.join(" ", scopes));
            claims.setStringClaim("token_use", tokenUse);
            this.claims.forEach(claims::setClaim);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivate());
            jws.setKeyIdHeaderValue(kid);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            jws.setHeader("typ", "JWT");
            try {
                return jws.getCompactSerialization();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
