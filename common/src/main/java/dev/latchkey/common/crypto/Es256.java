package dev.latchkey.common.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;
import org.jose4j.lang.JoseException;

/**
 * ES256 (RFC 7518 §3.4: ECDSA on P-256 with SHA-256, R and S as two 32-byte integers) on Bouncy Castle's
 * lightweight ECDSA over its dedicated P-256 arithmetic ({@code CustomNamedCurves}: fixed-width field code, a
 * cached comb table for the base point). identity-service signs with it; every service verifies with it.
 *
 * <p>Why not the JDK's {@code SHA256withECDSA} (SunEC) that jose4j and smallrye-jwt use by default: it signs and,
 * above all, verifies several times slower than this (a verification key's precomputation is kept per key here),
 * and every request with a new token pays a verification. Bouncy Castle's JCA provider uses the generic curve
 * code and is slower still, so it is the lightweight API. Figures: bench/README.
 * Signing uses RFC 6979 deterministic nonces: no shared {@code SecureRandom} under concurrency, and no nonce
 * can repeat for different tokens.
 *
 * <p>{@link #installIntoJose4j()} makes jose4j's ES256 verification (smallrye-jwt's, hence
 * {@code TokenVerifier}'s, and identity's for external ID tokens) use this code for P-256 keys; any other key,
 * or a caller asking jose4j for a specific JCA provider, still goes through jose4j's own implementation.
 */
public final class Es256 {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int HALF = 32;
    /** Encoded headers by {@code kid}: a handful over a deployment's life, one per signing key. */
    private static final Map<String, String> HEADERS = new ConcurrentHashMap<>();
    /** Verification keys with Bouncy Castle's precomputation; bounded by the keys a JWKS publishes. */
    private static final Map<ECPublicKey, ECPublicKeyParameters> PUBLIC_KEYS = new ConcurrentHashMap<>();
    private static final int MAX_PUBLIC_KEYS = 64;

    private Es256() {
    }

    /** The protected header every Latchkey JWT carries, {@code {"kid":…,"alg":"ES256","typ":"JWT"}}, encoded. */
    public static String header(String kid) {
        return HEADERS.computeIfAbsent(kid, Es256::encodeHeader);
    }

    private static String encodeHeader(String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("kid", kid);
        header.put("alg", "ES256");
        header.put("typ", "JWT");
        return B64.encodeToString(JsonUtil.toJson(header).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code header.payload.signature} (JWS compact serialization) for an encoded header and a JSON payload. */
    public static String sign(String encodedHeader, String payloadJson, PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec) || !DOMAIN.getN().equals(ec.getParams().getOrder())) {
            throw new IllegalArgumentException("ES256 needs a P-256 private key");
        }
        String signingInput = encodedHeader + "." + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(ec.getS(), DOMAIN));
        BigInteger[] rs = signer.generateSignature(sha256(signingInput.getBytes(StandardCharsets.US_ASCII)));
        byte[] signature = new byte[2 * HALF];
        BigIntegers.asUnsignedByteArray(rs[0], signature, 0, HALF);
        BigIntegers.asUnsignedByteArray(rs[1], signature, HALF, HALF);
        return signingInput + "." + B64.encodeToString(signature);
    }

    /**
     * Whether {@code signature} (64 bytes, R then S) is an ES256 signature of {@code signingInput} by {@code key}.
     * False for any other length, for R or S outside [1, n-1], and for a key whose point is not on P-256.
     */
    public static boolean verify(byte[] signingInput, byte[] signature, ECPublicKey key) {
        if (signature.length != 2 * HALF) {
            return false;
        }
        ECPublicKeyParameters params = publicKey(key);
        if (params == null) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, HALF));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, HALF, 2 * HALF));
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, params);
        return verifier.verifySignature(sha256(signingInput), r, s);
    }

    /** Whether {@code key} is a P-256 public key (the curve's order identifies it among the named curves). */
    public static boolean isP256(Key key) {
        return key instanceof ECPublicKey ec && DOMAIN.getN().equals(ec.getParams().getOrder());
    }

    private static ECPublicKeyParameters publicKey(ECPublicKey key) {
        ECPublicKeyParameters cached = PUBLIC_KEYS.get(key);
        if (cached != null) {
            return cached;
        }
        if (!isP256(key)) {
            return null;
        }
        ECPublicKeyParameters params;
        try {
            // validatePoint refuses a point that is not on the curve (an invalid-curve key).
            params = new ECPublicKeyParameters(P256.getCurve().validatePoint(key.getW().getAffineX(),
                    key.getW().getAffineY()), DOMAIN);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (PUBLIC_KEYS.size() >= MAX_PUBLIC_KEYS) {
            PUBLIC_KEYS.clear();
        }
        PUBLIC_KEYS.put(key, params);
        return params;
    }

    private static byte[] sha256(byte[] input) {
        SHA256Digest sha = new SHA256Digest();
        sha.update(input, 0, input.length);
        byte[] hash = new byte[sha.getDigestSize()];
        sha.doFinal(hash, 0);
        return hash;
    }

    /** Makes jose4j verify ES256 with {@link #verify} (idempotent; jose4j's registry is per JVM). */
    public static void installIntoJose4j() {
        if (!isInstalled()) {
            AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().registerAlgorithm(new Jose4jEs256());
        }
    }

    private static boolean isInstalled() {
        try {
            return AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm("ES256")
                    instanceof Jose4jEs256;
        } catch (JoseException e) {
            return false;
        }
    }

    /** jose4j's ES256 with its verification done by {@link Es256#verify}; signing stays jose4j's. */
    static final class Jose4jEs256 extends EcdsaUsingShaAlgorithm.EcdsaP256UsingSha256 {
        @Override
        public boolean verifySignature(byte[] signature, Key key, byte[] securedInput, ProviderContext context)
                throws JoseException {
            boolean providerChosen = context != null
                    && context.getSuppliedKeyProviderContext().getSignatureProvider() != null;
            if (providerChosen || !(key instanceof ECPublicKey ec) || !isP256(ec)) {
                return super.verifySignature(signature, key, securedInput, context);
            }
            return verify(securedInput, signature, ec);
        }
    }
}
