package dev.latchkey.identity.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import dev.latchkey.common.crypto.Secrets;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}), the
 * format libsodium, argon2-cffi and Spring Security read, so hashes move between systems. Bouncy Castle computes
 * Argon2 (pure Java, so it also runs in a native image); the parameters are OWASP's recommended minimum by
 * default (19 MiB, 2 passes, 1 lane) and a hash records its own, so raising them later only needs
 * {@link #needsRehash} at the next successful sign-in. Each hash takes tens of milliseconds of one core on
 * purpose: call it off the event loop.
 */
public final class PasswordHasher {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{16,88})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Argon2BytesGenerator.BlockPool blocks;

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this(memoryKib, iterations, parallelism, 0);
    }

    /**
     * A hasher that keeps the Argon2 memory of up to {@code pooledHashes} hashes running at once (one per hashing
     * thread) and reuses it. Without it every hash allocates {@code memoryKib} KiB of 1-KiB blocks that live for
     * the whole hash: on a busy sign-in path they survive young collections, fill the old generation and cost
     * stop-the-world full collections. Bouncy Castle zeroes each block before it returns to the pool.
     */
    public PasswordHasher(int memoryKib, int iterations, int parallelism, int pooledHashes) {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("Argon2id needs memory >= 8 KiB per lane and at least one pass");
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.blocks = pooledHashes > 0 ? new Argon2BytesGenerator.FixedBlockPool(pooledHashes * memoryKib) : null;
    }

    /** OWASP's Password Storage Cheat Sheet minimum for Argon2id: m=19 MiB, t=2, p=1. */
    public static PasswordHasher owaspDefaults() {
        return new PasswordHasher(19 * 1024, 2, 1);
    }

    public String hash(String password) {
        byte[] salt = Secrets.randomBytes(SALT_BYTES);
        byte[] hash = compute(password, salt, memoryKib, iterations, parallelism, HASH_BYTES, blocks);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code phc}; false for anything that is not an Argon2id PHC string. */
    public boolean verify(String password, String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int passes = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        // Refuse absurd stored parameters instead of spending minutes or gigabytes on them.
        if (memory > 4 * 1024 * 1024 || passes > 100 || lanes > 64 || memory < 8 * lanes) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(m.group(4));
        byte[] expected = Base64.getDecoder().decode(m.group(5));
        byte[] actual = compute(password, salt, memory, passes, lanes, expected.length, blocks);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Whether a stored hash was made with weaker (or other) parameters than today's. */
    public boolean needsRehash(String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        return m == null || !m.matches() || Integer.parseInt(m.group(1)) != memoryKib
                || Integer.parseInt(m.group(2)) != iterations || Integer.parseInt(m.group(3)) != parallelism;
    }

    /** A hash of a random password: verifying against it costs what a real verification costs. */
    public String decoy() {
        return hash(Secrets.randomBase62(32));
    }

    static byte[] compute(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length,
            Argon2BytesGenerator.BlockPool blocks) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (blocks != null) {
            builder.withBlockPool(blocks);
        }
        Argon2Parameters parameters = builder.build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return out;
    }

    @Override
    public String toString() {
        return "PasswordHasher[argon2id m=" + memoryKib + " t=" + iterations + " p=" + parallelism + "]";
    }
}
