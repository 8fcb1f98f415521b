package dev.latchkey.identity.service;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.EmailToken;
import dev.latchkey.identity.domain.PasswordCredential;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.repository.EmailTokenRepository;
import dev.latchkey.identity.repository.UserRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Sign-up with a password: the account, its verification mail, and the user's personal organization created
 * through tenant-service. The rest of an account's life (verification, reset, password change) is
 * {@link AccountService}'s.
 */
@ApplicationScoped
public class SignUps {

    private final UserRepository users;
    private final EmailTokenRepository emailTokens;
    private final PasswordService passwords;
    private final MailOutbox mail;
    private final TenantClient tenants;
    private final AccountService accounts;
    private final IdentityConfig config;

    public SignUps(UserRepository users, EmailTokenRepository emailTokens, PasswordService passwords, MailOutbox mail,
            TenantClient tenants, AccountService accounts, IdentityConfig config) {
        this.users = users;
        this.emailTokens = emailTokens;
        this.passwords = passwords;
        this.mail = mail;
        this.tenants = tenants;
        this.accounts = accounts;
        this.config = config;
    }

    /**
     * Creates an account: 403 {@code email_not_allowed}, 400 {@code validation_failed} for a weak password. The
     * personal organization is created at once through tenant-service; if that fails the account still exists
     * and the organization is made at the first sign-in.
     *
     * <p>An address that already has an account gets the answer a new one would (a user that exists nowhere:
     * a fresh id, the name and address given, unverified) and its owner a mail saying someone tried, with a
     * reset link; the caller's password opens nothing. Sign-in and password reset answer alike for known and
     * unknown addresses, so sign-up must not tell them apart either. The password is hashed on both paths so
     * that the time taken tells little more.
     */
    public Uni<User> register(String rawEmail, String password, String name) {
        return register(rawEmail, password, name, null);
    }

    /**
     * As {@link #register(String, String, String)}, from the sign-up page of authorization request
     * {@code continueRequest}: its verification link carries the request on (see AccountService#sendVerification).
     */
    public Uni<User> register(String rawEmail, String password, String name, String continueRequest) {
        String email = AccountService.email(rawEmail);
        accounts.admit(email);
        String displayName = name == null ? "" : name.strip();
        String refusal = passwords.refusal(password, email, displayName);
        if (refusal != null) {
            throw ApiException.validation(refusal);
        }
        return passwords.hash(password).flatMap(hash -> create(email, displayName, hash, continueRequest))
                // Two sign-ups of one address at once: the loser is told what any second sign-up is told.
                .onFailure(this::uniqueViolation).recoverWithUni(e -> warnOwner(email, displayName))
                .flatMap(registration -> {
                    if (!registration.created()) {
                        return Uni.createFrom().item(registration.user());
                    }
                    User user = registration.user();
                    return tenants.onboard(user.id.toString(), user.email, false, user.name)
                            .replaceWith(user)
                            .onFailure().recoverWithItem(e -> {
                                Log.warnf("user %s created, personal organization deferred to first sign-in: %s",
                                        user.id, e.toString());
                                return user;
                            });
                });
    }

    /** A new account ({@code created}), or the look-alike answered for an address that has one. */
    record Registration(User user, boolean created) {
    }

    /** The user and their password, with a verification mail queued; the owner warned when the address is taken. */
    @WithTransaction
    Uni<Registration> create(String email, String displayName, String hash, String continueRequest) {
        return users.findByEmail(email).flatMap(existing -> {
            if (existing != null) {
                return warn(existing, displayName);
            }
            OffsetDateTime now = SessionService.now();
            User user = new User();
            user.id = UUID.randomUUID();
            user.email = email;
            user.name = displayName;
            user.status = config.gating().requireApproval() ? User.PENDING : User.ACTIVE;
            user.createdAt = now;
            user.updatedAt = now;
            PasswordCredential credential = new PasswordCredential();
            credential.userId = user.id;
            credential.hash = hash;
            credential.updatedAt = now;
            return users.persist(user)
                    .flatMap(u -> users.flush())
                    .flatMap(ignored -> users.persistPassword(credential))
                    .flatMap(ignored -> accounts.sendVerification(user, continueRequest))
                    .replaceWith(new Registration(user, true));
        });
    }

    @WithTransaction
    Uni<Registration> warnOwner(String email, String displayName) {
        return users.findByEmail(email).flatMap(existing -> existing == null
                ? Uni.createFrom().item(new Registration(lookalike(email, displayName), false))
                : warn(existing, displayName));
    }

    /**
     * Mails the owner of a taken address (a reset link in it, as {@link #requestReset} would send) and answers
     * with a look-alike of a new account. A disabled account is told nothing, as a reset request would not be.
     */
    private Uni<Registration> warn(User owner, String displayName) {
        Registration answer = new Registration(lookalike(owner.email, displayName), false);
        if (User.DISABLED.equals(owner.status)) {
            return Uni.createFrom().item(answer);
        }
        String token = Secrets.randomBase62(43);
        EmailToken row = AccountService.tokenRow(token, owner, EmailToken.RESET_PASSWORD, config.passwords().resetTokenTtl());
        String link = config.mail().resetPasswordLink().replace("{token}", token);
        return emailTokens.persist(row).flatMap(ignored -> mail.enqueue(owner.email,
                "Someone tried to sign up with your address",
                "Someone (perhaps you) tried to create a new account with this address. It already has one, so "
                        + "nothing was created and nothing changed.\n\nIf it was you, sign in instead (POST "
                        + "/v1/auth/login, or `latchkey login`). If you forgot your password, open this link within "
                        + config.passwords().resetTokenTtl().toMinutes() + " minutes (it works once):\n\n" + link
                        + "\n\nor send this code with your new password to POST /v1/auth/password-reset/confirm:\n\n"
                        + token + "\n\nIf it was not you, ignore this message: your account stays as it is.\n"))
                .replaceWith(answer);
    }

    /** What a new account with this address would look like, belonging to nobody: it is never stored. */
    private User lookalike(String email, String displayName) {
        User user = new User();
        user.id = UUID.randomUUID();
        user.email = email;
        user.name = displayName;
        user.status = config.gating().requireApproval() ? User.PENDING : User.ACTIVE;
        user.createdAt = SessionService.now();
        user.updatedAt = user.createdAt;
        return user;
    }

    private boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("users_email_key")) {
                return true;
            }
        }
        return false;
    }
}
