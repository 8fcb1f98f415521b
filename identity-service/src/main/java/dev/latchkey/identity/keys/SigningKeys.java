package dev.latchkey.identity.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;

import dev.latchkey.common.crypto.Secrets;

/** Makes ES256 (P-256) signing keys and (de)serialises their halves. */
public final class SigningKeys {

    public static final String ES256 = "ES256";

    private SigningKeys() {
    }

    /** A new P-256 key pair with a random 128-bit {@code kid}, ready to sign. */
    public static SigningKey generateEs256(int priority, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(Secrets.randomBase62(22), ES256, KeyStatus.ACTIVE, priority, pair.getPublic(),
                    pair.getPrivate(), now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is required by every JRE", e);
        }
    }

    public static PrivateKey privateKey(String algorithm, byte[] pkcs8) throws GeneralSecurityException {
        return java.security.KeyFactory.getInstance(family(algorithm)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    public static PublicKey publicKey(String algorithm, byte[] x509) throws GeneralSecurityException {
        return java.security.KeyFactory.getInstance(family(algorithm)).generatePublic(new X509EncodedKeySpec(x509));
    }

    private static String family(String algorithm) {
        if (ES256.equals(algorithm)) {
            return "EC";
        }
        throw new IllegalArgumentException("Unsupported signing algorithm " + algorithm);
    }
}
