package dev.latchkey.identity.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.identity.config.IdentityConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Brute-force protection of sign-in, shared by every identity instance through Redis. Each attempt reserves a
 * slot per account (the normalised email, whether an account exists or not, so a 429 says nothing about
 * existence) and per client address, atomically; a success gives both back. Past a limit: 429
 * {@code rate_limited} with {@code Retry-After}. Without Redis sign-in answers 503 rather than run unprotected.
 * A device's user code, the other secret a person types on the pages, is counted the same way per client address
 * (RFC 8628 §5.1): a code that leads to a device gives its slot back, so only wrong codes count.
 */
@ApplicationScoped
public class LoginLimiter {

    private static final String SCRIPT = load();

    private final ReactiveRedisDataSource redis;
    private final IdentityConfig.LoginLimits limits;
    private final IdentityConfig.UserCodeLimits userCodeLimits;
    private final IdentityConfig.MailLimits mailLimits;

    public LoginLimiter(ReactiveRedisDataSource redis, IdentityConfig config) {
        this.redis = redis;
        this.limits = config.loginLimits();
        this.userCodeLimits = config.userCodeLimits();
        this.mailLimits = config.mailLimits();
    }

    /** Reserves an attempt; fails with 429 past a limit. */
    public Uni<Void> reserve(String normalisedEmail, String address) {
        return redis.execute("EVAL", SCRIPT, "2", accountKey(normalisedEmail), addressKey(address),
                Integer.toString(limits.perAccount()), Integer.toString(limits.perAddress()),
                Long.toString(limits.window().toMillis()))
                .onFailure().transform(e -> ApiException.unavailable("Sign-in is unavailable right now",
                        "login limiter: " + e, e))
                .map(response -> allowedOrRefused(response,
                        seconds -> "Too many sign-in attempts; retry after " + seconds + " s"));
    }

    /** A successful sign-in: the account's failures are forgiven, and this attempt is not counted. */
    public Uni<Void> succeeded(String normalisedEmail, String address) {
        return redis.execute("DEL", accountKey(normalisedEmail))
                .flatMap(ignored -> redis.execute("DECR", addressKey(address)))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    /** Reserves the entry of a user code from this address; fails with 429 past the limit, even for a right code. */
    public Uni<Void> reserveUserCode(String address) {
        return redis.execute("EVAL", SCRIPT, "1", userCodeKey(address), Integer.toString(userCodeLimits.perAddress()),
                Long.toString(userCodeLimits.window().toMillis()))
                .onFailure().transform(e -> ApiException.unavailable("Connecting a device is unavailable right now",
                        "user code limiter: " + e, e))
                .map(response -> allowedOrRefused(response, seconds -> "Too many wrong codes were "
                        + "entered from your network. Wait " + seconds + " s, then enter the code your device shows; "
                        + "or start again on the device"));
    }

    /**
     * Reserves a link mail (password reset, a new verification link) to {@code normalisedEmail} asked for from
     * {@code address}: past either limit 429, whether the address has an account or not, so the limit tells nobody
     * which addresses are registered, and nobody can flood a mailbox or the outbox.
     */
    public Uni<Void> reserveMail(String normalisedEmail, String address) {
        return redis.execute("EVAL", SCRIPT, "2", limits.keyPrefix() + "mail:" + Secrets.sha256Hex(normalisedEmail),
                limits.keyPrefix() + "mail:address:" + (address == null ? "unknown" : address),
                Integer.toString(mailLimits.perRecipient()), Integer.toString(mailLimits.perAddress()),
                Long.toString(mailLimits.window().toMillis()))
                .onFailure().transform(e -> ApiException.unavailable("Mail cannot be sent right now",
                        "mail limiter: " + e, e))
                .map(response -> allowedOrRefused(response,
                        seconds -> "Too many mails were asked for; retry after " + seconds + " s"));
    }

    /** The user code led to a device: its entry is not counted. */
    public Uni<Void> userCodeMatched(String address) {
        return redis.execute("DECR", userCodeKey(address)).replaceWithVoid().onFailure().recoverWithNull();
    }

    private static Void allowedOrRefused(Response response, LongFunction<String> message) {
        if (response.get(0).toLong() == 1) {
            return null;
        }
        long seconds = Math.max(1, (response.get(1).toLong() + 999) / 1000);
        throw new ApiException(429, ErrorCodes.RATE_LIMITED, message.apply(seconds))
                .withHeader("Retry-After", Long.toString(seconds));
    }

    private String accountKey(String email) {
        return limits.keyPrefix() + "account:" + Secrets.sha256Hex(email);
    }

    private String addressKey(String address) {
        return limits.keyPrefix() + "address:" + (address == null ? "unknown" : address);
    }

    private String userCodeKey(String address) {
        return limits.keyPrefix() + "user-code:address:" + (address == null ? "unknown" : address);
    }

    private static String load() {
        try (InputStream in = LoginLimiter.class.getClassLoader().getResourceAsStream("identity/login-attempt.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("identity/login-attempt.lua is missing", e);
        }
    }
}
