package dev.latchkey.identity.service;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.EmailToken;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.password.EmailAddresses;
import dev.latchkey.identity.repository.EmailTokenRepository;
import dev.latchkey.identity.repository.UserRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Forgotten passwords: the reset mail (limited per recipient and per client address), and the reset itself, from
 * the API or the reset page. The policy is checked before the link is used, so a refused password leaves it
 * working; a reset ends every session of the account, and on the page signs the browser in.
 */
@ApplicationScoped
public class PasswordResets {

    private final UserRepository users;
    private final EmailTokenRepository emailTokens;
    private final PasswordService passwords;
    private final MailOutbox mail;
    private final SessionService sessions;
    private final AccountService accounts;
    private final LoginLimiter limiter;
    private final IdentityConfig config;

    public PasswordResets(UserRepository users, EmailTokenRepository emailTokens, PasswordService passwords,
            MailOutbox mail, SessionService sessions, AccountService accounts, LoginLimiter limiter,
            IdentityConfig config) {
        this.users = users;
        this.emailTokens = emailTokens;
        this.passwords = passwords;
        this.mail = mail;
        this.sessions = sessions;
        this.accounts = accounts;
        this.limiter = limiter;
        this.config = config;
    }

    /**
     * Starts a password reset. Always 202, whether or not the address has an account, so the answer tells
     * nobody which addresses are registered; the mail goes only to an existing account.
     */
    public Uni<Void> requestReset(String rawEmail, String address) {
        String email = EmailAddresses.normalise(rawEmail);
        if (email == null) {
            throw ApiException.validation("'email' is not a valid email address");
        }
        return limiter.reserveMail(email, address).flatMap(ignored -> sendReset(email));
    }

    /** Queues a reset mail to the account of {@code email}, if there is one that may sign in. */
    @WithTransaction
    Uni<Void> sendReset(String email) {
        return users.findByEmail(email).flatMap(user -> {
            if (user == null || User.DISABLED.equals(user.status)) {
                return Uni.createFrom().voidItem();
            }
            String token = Secrets.randomBase62(43);
            EmailToken row = AccountService.tokenRow(token, user, EmailToken.RESET_PASSWORD, config.passwords().resetTokenTtl());
            String link = config.mail().resetPasswordLink().replace("{token}", token);
            return emailTokens.persist(row).flatMap(ignored -> mail.enqueue(user.email, "Reset your password",
                    "Someone asked to reset the password of this account. If it was you, open this link within "
                            + config.passwords().resetTokenTtl().toMinutes() + " minutes (it works once):\n\n" + link
                            + "\n\nor send this code with your new password to POST /v1/auth/password-reset/confirm:\n\n"
                            + token + "\n\nIf it was not you, ignore this message: your password stays as it is.\n"));
        });
    }

    /** Completes a reset: sets the password, verifies the address (the link proved it), ends every session. */
    public Uni<Integer> confirmReset(String token, String next) {
        return resetPassword(token, next).map(Reset::ended);
    }

    /**
     * Completes a reset from the reset page: as {@link #confirmReset}, then a new session for the browser that did it
     * (none for an account awaiting approval: {@code tokens} null).
     */
    public Uni<ResetDone> resetAndSignIn(String token, String next, String userAgent, String address) {
        return resetPassword(token, next).flatMap(reset -> reset.user().pending()
                ? Uni.createFrom().item(new ResetDone(reset.user(), reset.ended(), null))
                : accounts.startSession(reset.user(), userAgent, address)
                        .map(tokens -> new ResetDone(reset.user(), reset.ended(), tokens)));
    }

    /** A reset done on the page: who, how many sessions ended, the new session (null when it may not start). */
    public record ResetDone(User user, int ended, SessionService.Tokens tokens) {
    }

    private record Reset(User user, int ended) {
    }

    private Uni<Reset> resetPassword(String token, String next) {
        // The policy is checked before the link is used: a refused password must leave the link working.
        return checkBeforeUse(token, next).flatMap(ignored -> accounts.consume(token, EmailToken.RESET_PASSWORD)).flatMap(row -> users.findById(row.userId)
                .flatMap(user -> {
                    if (user == null || !user.email.equals(row.email)) {
                        return Uni.createFrom().<User>failure(AccountService.invalidToken());
                    }
                    return accounts.setPassword(user, next, true).replaceWith(user);
                }))
                .flatMap(user -> sessions.endAllOf(user.id, null, "password_reset").map(n -> new Reset(user, n)));
    }

    /** 400 {@code validation_failed} when the policy refuses {@code next} for the account a valid reset link is for. */
    private Uni<Void> checkBeforeUse(String token, String next) {
        return accounts.peek(token, EmailToken.RESET_PASSWORD).flatMap(link -> link.state() != AccountService.LinkState.VALID
                ? Uni.createFrom().voidItem()
                : userByEmail(link.email()).map(user -> {
                    String refusal = user == null ? null : passwords.refusal(next, user.email, user.name);
                    if (refusal != null) {
                        throw ApiException.validation(refusal.replace("'password'", "'new_password'"));
                    }
                    return null;
                }));
    }

    @WithSession
    Uni<User> userByEmail(String email) {
        return users.findByEmail(email);
    }
}
