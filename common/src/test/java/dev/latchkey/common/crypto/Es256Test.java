package dev.latchkey.common.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ES256 on Bouncy Castle, checked against implementations that share no code with it: the JDK's SunEC (its
 * {@code SHA256withECDSAinP1363Format} is exactly JWS's R||S form) and jose4j's own signing. Then the forgeries
 * a verifier must refuse.
 */
class Es256Test {

    private static final byte[] INPUT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyOjEifQ".getBytes(StandardCharsets.US_ASCII);
    private static final BigInteger N = new BigInteger(
            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private static KeyPair pair;
    private static KeyPair other;

    @BeforeAll
    static void keys() throws Exception {
        pair = generate("secp256r1");
        other = generate("secp256r1");
        Es256.installIntoJose4j();
    }

    private static KeyPair generate(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static byte[] jdkSign(byte[] input) throws Exception {
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        jdk.initSign(pair.getPrivate());
        jdk.update(input);
        return jdk.sign();
    }

    private static String[] parts(String compact) {
        return compact.split("\\.");
    }

    @Test
    void whatItSignsTheJdkVerifies() throws Exception {
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        for (int i = 0; i < 300; i++) {
            String[] token = parts(Es256.sign(Es256.header("k1"), "{\"i\":" + i + "}", pair.getPrivate()));
            byte[] signature = Base64.getUrlDecoder().decode(token[2]);
            assertEquals(64, signature.length);
            jdk.initVerify(pair.getPublic());
            jdk.update((token[0] + "." + token[1]).getBytes(StandardCharsets.US_ASCII));
            assertTrue(jdk.verify(signature), "signature " + i);
        }
    }

    @Test
    void whatTheJdkSignsItVerifies() throws Exception {
        // 300 signatures: R or S with a leading zero byte (1 in 128) is certainly among them.
        for (int i = 0; i < 300; i++) {
            byte[] input = ("payload-" + i).getBytes(StandardCharsets.US_ASCII);
            assertTrue(Es256.verify(input, jdkSign(input), (ECPublicKey) pair.getPublic()), "signature " + i);
        }
    }

    @Test
    void anotherKeyOrAnotherInputDoesNotVerify() throws Exception {
        byte[] signature = jdkSign(INPUT);
        assertFalse(Es256.verify(INPUT, signature, (ECPublicKey) other.getPublic()));
        byte[] edited = INPUT.clone();
        edited[edited.length - 1] ^= 1;
        assertFalse(Es256.verify(edited, signature, (ECPublicKey) pair.getPublic()));
        for (int bit : new int[] { 0, 100, 263, 511 }) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Es256.verify(INPUT, flipped, (ECPublicKey) pair.getPublic()), "bit " + bit);
        }
    }

    @Test
    void forgedShapesAreRefused() throws Exception {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        byte[] good = jdkSign(INPUT);
        assertFalse(Es256.verify(INPUT, new byte[0], key));
        assertFalse(Es256.verify(INPUT, Arrays.copyOf(good, 63), key), "truncated");
        assertFalse(Es256.verify(INPUT, Arrays.copyOf(good, 65), key), "padded");
        assertFalse(Es256.verify(INPUT, new byte[64], key), "R = S = 0 (the 'psychic signature' of CVE-2022-21449)");
        byte[] rIsN = good.clone();
        System.arraycopy(toBytes(N), 0, rIsN, 0, 32);
        assertFalse(Es256.verify(INPUT, rIsN, key), "R = n");
        byte[] sIsZero = good.clone();
        Arrays.fill(sIsZero, 32, 64, (byte) 0);
        assertFalse(Es256.verify(INPUT, sIsZero, key), "S = 0");
    }

    @Test
    void aPublicKeyOffTheCurveNeverVerifies() throws Exception {
        ECPublicKey real = (ECPublicKey) pair.getPublic();
        ECPoint off = new ECPoint(real.getW().getAffineX(), real.getW().getAffineY().add(BigInteger.ONE));
        ECPublicKey forged = (ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(off, real.getParams()));
        assertFalse(Es256.verify(INPUT, jdkSign(INPUT), forged));
    }

    @Test
    void onlyP256PrivateKeysSign() throws Exception {
        KeyPair p384 = generate("secp384r1");
        assertThrows(IllegalArgumentException.class, () -> Es256.sign(Es256.header("k"), "{}", p384.getPrivate()));
    }

    @Test
    void jose4jVerifiesEs256ThroughItAndStillRefusesForgeries() throws Exception {
        Es256.installIntoJose4j(); // idempotent
        assertTrue(AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm("ES256")
                instanceof Es256.Jose4jEs256, "jose4j's ES256 is Es256's");
        JwtConsumer consumer = new JwtConsumerBuilder().setVerificationKey(pair.getPublic())
                .setRequireSubject().setSkipDefaultAudienceValidation().build();
        // Signed by jose4j itself (the JDK's signer), verified through Es256.
        JwtClaims claims = new JwtClaims();
        claims.setSubject("user:1");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(pair.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        String token = jws.getCompactSerialization();
        assertEquals("user:1", consumer.processToClaims(token).getSubject());
        // Signed by Es256, verified by jose4j.
        assertEquals("user:2", consumer.processToClaims(Es256.sign(Es256.header("k"), "{\"sub\":\"user:2\"}",
                pair.getPrivate())).getSubject());

        String[] p = parts(token);
        String zeroSignature = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(p[0] + "." + p[1] + "." + zeroSignature));
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"admin\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(p[0] + "." + otherPayload + "." + p[2]));
        JwtConsumer wrongKey = new JwtConsumerBuilder().setVerificationKey(other.getPublic())
                .setRequireSubject().setSkipDefaultAudienceValidation().build();
        assertThrows(InvalidJwtException.class, () -> wrongKey.processToClaims(token));
    }

    @Test
    void otherAlgorithmsKeepJose4jsOwnCode() throws Exception {
        Es256.installIntoJose4j();
        KeyPair p384 = generate("secp384r1");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{\"sub\":\"user:3\"}");
        jws.setKey(p384.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384);
        String token = jws.getCompactSerialization();
        JwtConsumer consumer = new JwtConsumerBuilder().setVerificationKey(p384.getPublic())
                .setRequireSubject().setSkipDefaultAudienceValidation().build();
        assertEquals("user:3", consumer.processToClaims(token).getSubject());
    }

    private static byte[] toBytes(BigInteger value) {
        byte[] raw = value.toByteArray();
        return raw.length == 33 ? Arrays.copyOfRange(raw, 1, 33) : raw;
    }
}
