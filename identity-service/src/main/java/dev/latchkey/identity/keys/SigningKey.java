package dev.latchkey.identity.keys;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;

/** A signing key pair with its {@code kid}. The private half lives only in memory and, encrypted, in the database. */
public record SigningKey(String kid, String algorithm, KeyStatus status, int priority, PublicKey publicKey,
        PrivateKey privateKey, Instant createdAt) {

    public SigningKey {
        if (kid == null || kid.isBlank()) {
            throw new IllegalArgumentException("kid is required");
        }
    }

    public KeyPair keyPair() {
        return new KeyPair(publicKey, privateKey);
    }

    @Override
    public String toString() {
        // Records print every component; a private key must never reach a log line.
        return "SigningKey[kid=" + kid + ", algorithm=" + algorithm + ", status=" + status + "]";
    }
}
