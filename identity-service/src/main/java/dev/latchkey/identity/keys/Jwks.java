package dev.latchkey.identity.keys;

import java.util.Collection;
import java.util.List;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/** The public JSON Web Key Set: every key that may still verify a token (ACTIVE and PASSIVE). */
public final class Jwks {

    private Jwks() {
    }

    public static String publicJson(Collection<SigningKey> keys) {
        List<JsonWebKey> published = keys.stream()
                .filter(k -> k.status() != KeyStatus.RETIRED)
                .map(Jwks::publicJwk)
                .toList();
        return new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    public static JsonWebKey publicJwk(SigningKey key) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setAlgorithm(key.algorithm());
            jwk.setUse("sig");
            return jwk;
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot express key " + key.kid() + " as a JWK", e);
        }
    }
}
