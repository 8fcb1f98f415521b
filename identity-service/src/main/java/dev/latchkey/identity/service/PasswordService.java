package dev.latchkey.identity.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.concurrent.Worker;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.password.PasswordHasher;
import dev.latchkey.identity.password.PasswordPolicy;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Hashes and checks passwords on a small pool of its own, never on an event loop: an Argon2id hash is tens of
 * milliseconds of one core on purpose, and a burst of sign-ins must not starve every other request. The pool
 * has one thread fewer than the machine has cores by default and a bounded queue; past it a sign-in answers 503
 * at once rather than waiting in line for seconds.
 */
@ApplicationScoped
public class PasswordService {

    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final ExecutorService pool;
    private final String decoy;

    public PasswordService(IdentityConfig config) {
        IdentityConfig.Passwords passwords = config.passwords();
        int threads = passwords.hashingThreads() > 0 ? passwords.hashingThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        // Each hashing thread keeps its Argon2 memory for the next hash (PasswordHasher's block pool).
        this.hasher = new PasswordHasher(passwords.argon2MemoryKib(), passwords.argon2Iterations(),
                passwords.argon2Parallelism(), threads);
        this.policy = new PasswordPolicy(passwords.minLength(), denyList(passwords), passwords.minStrength());
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, passwords.hashingQueue())), r -> {
                    Thread t = new Thread(r, "password-hashing-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.decoy = hasher.decoy();
        Log.infof("passwords: %s on %d thread(s)", hasher, threads);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** Why {@code password} may not be used, for the user; null when it may. */
    public String refusal(String password, String email, String name) {
        return policy.refusal(password, email, name);
    }

    /** As {@link #refusal}, with the rule broken, for a page that says why in its own language. */
    public PasswordPolicy.Refusal check(String password, String email, String name) {
        return policy.check(password, email, name);
    }

    public Uni<String> hash(String password) {
        return onPool(() -> hasher.hash(password));
    }

    /**
     * Whether {@code password} matches {@code phc}. With no hash (no such account) it verifies against a decoy,
     * so an unknown email costs what a wrong password costs and the two cannot be told apart by timing.
     */
    public Uni<Boolean> verify(String password, String phc) {
        return onPool(() -> phc == null ? hasher.verify(password, decoy) && false : hasher.verify(password, phc));
    }

    public boolean needsRehash(String phc) {
        return hasher.needsRehash(phc);
    }

    /** Runs {@code work} on the hashing pool; a full queue answers 503 at once. */
    private <T> Uni<T> onPool(Supplier<T> work) {
        return Worker.call(pool, work).onFailure(RejectedExecutionException.class)
                .transform(e -> new ApiException(503, "overloaded", "Too many sign-ins at once; retry in a moment")
                        .withHeader("Retry-After", "1"));
    }

    private static Set<String> denyList(IdentityConfig.Passwords config) {
        Set<String> out = new HashSet<>();
        read(PasswordPolicy.class.getClassLoader().getResourceAsStream("com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt"), out);
        config.denyListFile().ifPresent(file -> {
            try {
                read(Files.newInputStream(Path.of(file)), out);
            } catch (IOException e) {
                throw new IllegalStateException("The password deny list " + file + " cannot be read", e);
            }
        });
        if (out.isEmpty()) {
            throw new IllegalStateException("No common-password list found (zxcvbn4j's passwords.txt is missing)");
        }
        return out;
    }

    private static void read(InputStream in, Set<String> out) {
        if (in == null) {
            return;
        }
        try (in) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                // zxcvbn lists are "word" or "word count" per line.
                String word = line.strip().split("\\s+")[0];
                if (!word.isEmpty()) {
                    out.add(word.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
