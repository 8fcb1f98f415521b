package dev.latchkey.identity.password;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

class PasswordHasherTest {

    // Small parameters keep the test quick; the format and the algorithm are what is under test.
    private final PasswordHasher hasher = new PasswordHasher(1024, 2, 1);
    /** The reference C implementation of Argon2 (libargon2, through argon2-jvm): not our code. */
    private final Argon2 reference = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = hasher.hash("correct horse battery staple");
        assertTrue(hash.startsWith("$argon2id$v=19$m=1024,t=2,p=1$"), hash);
        assertTrue(hasher.verify("correct horse battery staple", hash));
        assertFalse(hasher.verify("correct horse battery stapl", hash));
        assertFalse(hasher.verify("", hash));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertNotEquals(hasher.hash("same password"), hasher.hash("same password"));
    }

    @Test
    void theReferenceImplementationVerifiesOurHashes() {
        String ours = hasher.hash("påsswörd with ünicode ✓");
        assertTrue(reference.verify(ours, "påsswörd with ünicode ✓".toCharArray()));
        assertFalse(reference.verify(ours, "påsswörd with unicode ✓".toCharArray()));
    }

    @Test
    void weVerifyTheReferenceImplementationsHashes() {
        String theirs = reference.hash(2, 4096, 1, "another password 123".toCharArray());
        assertTrue(hasher.verify("another password 123", theirs), theirs);
        assertFalse(hasher.verify("another password 124", theirs));
    }

    @Test
    void aTamperedHashVerifiesNothing() {
        String hash = hasher.hash("secret words here");
        // One character of the digest changed (the second-to-last: the last may only carry padding bits).
        char changed = hash.charAt(hash.length() - 2) == 'A' ? 'B' : 'A';
        String tampered = hash.substring(0, hash.length() - 2) + changed + hash.charAt(hash.length() - 1);
        assertFalse(hasher.verify("secret words here", tampered));
        assertFalse(hasher.verify("secret words here", hash.replace("argon2id", "argon2i")));
        assertFalse(hasher.verify("secret words here", "$2a$10$notargon"));
        assertFalse(hasher.verify("secret words here", null));
    }

    @Test
    void absurdStoredParametersAreRefusedRatherThanComputed() {
        String hash = hasher.hash("x y z w v u");
        String huge = hash.replace("m=1024", "m=99999999");
        assertFalse(hasher.verify("x y z w v u", huge));
    }

    @Test
    void weakerParametersNeedARehash() {
        String hash = hasher.hash("rehash me please");
        assertFalse(hasher.needsRehash(hash));
        assertTrue(PasswordHasher.owaspDefaults().needsRehash(hash));
    }

    /**
     * The pooled hasher reuses the same Argon2 memory from hash to hash and from thread to thread: what one hash
     * leaves in a block must never change the next one's result. Checked against the reference implementation,
     * sequentially and from several threads at once sharing a pool for two hashes.
     */
    @Test
    void reusedArgon2MemoryGivesTheSameHashesAsFreshMemory() throws Exception {
        PasswordHasher pooled = new PasswordHasher(1024, 2, 1, 2);
        for (int i = 0; i < 5; i++) {
            String password = "pooled password " + i;
            String ours = pooled.hash(password);
            assertTrue(reference.verify(ours, password.toCharArray()), ours);
            assertTrue(hasher.verify(password, ours));
            assertTrue(pooled.verify(password, hasher.hash(password)));
            assertFalse(pooled.verify(password + "!", ours));
        }
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String password = "concurrent " + i;
                results.add(threads.submit(() -> reference.verify(pooled.hash(password), password.toCharArray())
                        && pooled.verify(password, reference.hash(2, 1024, 1, password.toCharArray()))));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
