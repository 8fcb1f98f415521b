package dev.latchkey.identity.service;

import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.EmailToken;
import dev.latchkey.identity.domain.PasswordCredential;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.password.EmailAddresses;
import dev.latchkey.identity.repository.EmailTokenRepository;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.session.AccessGate;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Password accounts after sign-up ({@link SignUps}): email verification and password reset by single-use links sent through the mail outbox (tokens stored as SHA-256),
 * and password change. Changing or resetting a password ends the user's other sessions (all of them for a
 * reset).
 */
@ApplicationScoped
public class AccountService {

    private final UserRepository users;
    private final EmailTokenRepository emailTokens;
    private final PasswordService passwords;
    private final MailOutbox mail;
    private final TenantClient tenants;
    private final SessionService sessions;
    private final IdentityConfig config;
    private final AccessGate gate;
    private final LoginLimiter limiter;

    public AccountService(UserRepository users, EmailTokenRepository emailTokens, PasswordService passwords,
            MailOutbox mail, TenantClient tenants, SessionService sessions, IdentityConfig config, LoginLimiter limiter) {
        this.limiter = limiter;
        this.users = users;
        this.emailTokens = emailTokens;
        this.passwords = passwords;
        this.mail = mail;
        this.tenants = tenants;
        this.sessions = sessions;
        this.config = config;
        this.gate = new AccessGate(config.gating().enabled(), config.gating().allowlist().orElse(List.of()));
    }

    /** The user, or null. */
    public Uni<User> user(UUID id) {
        return users.findById(id);
    }

    public AccessGate gate() {
        return gate;
    }

    /** A normalised address, or 400 {@code validation_failed}. */
    public static String email(String raw) {
        String normalised = EmailAddresses.normalise(raw);
        if (normalised == null) {
            throw ApiException.validation("'email' is not a valid email address");
        }
        return normalised;
    }

    /** 403 {@code email_not_allowed} unless access gating admits the address. */
    public void admit(String normalisedEmail) {
        if (!gate.admits(normalisedEmail)) {
            throw new ApiException(403, "email_not_allowed",
                    "Sign-up is limited to invited addresses for now; this one is not on the list");
        }
    }

    /** Queues a verification mail for the user's current address (inside a transaction). */
    Uni<Void> sendVerification(User user) {
        return sendVerification(user, null);
    }

    /**
     * As {@link #sendVerification(User)}; {@code continueRequest}, the authorization request a sign-up page started
     * from, rides on the link ({@code continue}), so that confirming in the same browser carries on with it. It is
     * an opaque id that only the browser holding its cookie can use.
     */
    Uni<Void> sendVerification(User user, String continueRequest) {
        String token = Secrets.randomBase62(43);
        EmailToken row = tokenRow(token, user, EmailToken.VERIFY_EMAIL, config.passwords().verificationTokenTtl());
        String plain = config.mail().verifyEmailLink().replace("{token}", token);
        String link = continueRequest == null ? plain
                : plain + (plain.contains("?") ? "&" : "?") + "continue=" + continueRequest;
        return emailTokens.persist(row).flatMap(ignored -> mail.enqueue(user.email, "Confirm your email address",
                "Hello " + (user.name.isBlank() ? "there" : user.name) + ",\n\nConfirm that this is your address by "
                        + "opening this link (it works once, for " + config.passwords().verificationTokenTtl().toHours()
                        + " hours):\n\n" + link + "\n\nor by sending this code to POST /v1/auth/verify-email:\n\n"
                        + token + "\n\nIf you did not sign up, ignore this message.\n"));
    }

    /** Sends a new verification link to a signed-in user whose address is not verified yet. */
    @WithTransaction
    public Uni<Void> resendVerification(String userId) {
        return users.findById(UUID.fromString(userId)).flatMap(user -> {
            if (user == null) {
                return Uni.createFrom().failure(ApiException.notFound("User"));
            }
            if (user.emailVerified()) {
                return Uni.createFrom().failure(new ApiException(409, "email_already_verified",
                        "This address is already verified"));
            }
            return sendVerification(user);
        });
    }

    /**
     * Marks the address verified: 400 {@code invalid_token} for an unknown or used token, 410 {@code token_expired}.
     * tenant-service then adds the user to every organization that invited this address.
     */
    public Uni<User> verifyEmail(String token) {
        return consume(token, EmailToken.VERIFY_EMAIL).flatMap(this::markVerified)
                .flatMap(user -> tenants.onboard(user.id.toString(), user.email, true, user.name).replaceWith(user)
                        .onFailure().recoverWithItem(e -> {
                            Log.warnf("email of %s verified; invitations will be honoured at next sign-in: %s", user.id,
                                    e.toString());
                            return user;
                        }));
    }

    /** The user the token was sent to, their address marked verified; 400 when the address changed since. */
    @WithTransaction
    Uni<User> markVerified(EmailToken row) {
        return users.findById(row.userId).map(user -> {
            if (user == null || !user.email.equals(row.email)) {
                throw invalidToken();
            }
            if (user.emailVerifiedAt == null) {
                user.emailVerifiedAt = SessionService.now();
                user.updatedAt = user.emailVerifiedAt;
            }
            return user;
        });
    }

    /**
     * Changes a signed-in user's password: 401 {@code invalid_credentials} for a wrong current one; every
     * other session of the user ends.
     */
    public Uni<Integer> changePassword(String userId, String sessionId, String current, String next) {
        UUID id = UUID.fromString(userId);
        return userAndPassword(id)
                .flatMap(pair -> {
                    User user = (User) pair[0];
                    PasswordCredential credential = (PasswordCredential) pair[1];
                    if (user == null) {
                        return Uni.createFrom().failure(ApiException.notFound("User"));
                    }
                    return passwords.verify(current == null ? "" : current, credential == null ? null : credential.hash)
                            .flatMap(ok -> {
                                if (!ok) {
                                    return Uni.createFrom().failure(new ApiException(401, "invalid_credentials",
                                            "The current password is not right"));
                                }
                                return setPassword(user, next, false);
                            });
                })
                .flatMap(ignored -> sessions.endAllOf(id, SessionService.uuid(sessionId), "password_changed"));
    }

    /** The user and their password credential, read in one session. */
    @WithSession
    Uni<Object[]> userAndPassword(UUID id) {
        return users.findById(id).flatMap(user -> users.password(id).map(credential -> new Object[] { user, credential }));
    }

    /**
     * A new session for a person who just proved their address in this browser (the verification page of a sign-up
     * that started at an authorization request); none (null) for an account that may not sign in yet.
     */
    public Uni<SessionService.Tokens> startSession(User user, String userAgent, String address) {
        if (user.pending() || User.DISABLED.equals(user.status)) {
            return Uni.createFrom().nullItem();
        }
        return sessions.activeOrganization(user, null).flatMap(org -> sessions.start(user, org, userAgent, address));
    }

    /** What a mail link's token is worth, read without using it. */
    public enum LinkState {
        VALID, USED, EXPIRED, UNKNOWN
    }

    /** A link's state and, while it is valid, the address it was sent to. */
    public record Link(LinkState state, String email) {
    }

    /**
     * Looks at a mail link's token without using it: the link's page shows what will happen before a person
     * confirms, because mail scanners open links too, and a GET that used the token would spend it for them.
     */
    @WithSession
    public Uni<Link> peek(String token, String purpose) {
        if (!wellFormed(token)) {
            return Uni.createFrom().item(new Link(LinkState.UNKNOWN, null));
        }
        OffsetDateTime now = SessionService.now();
        return emailTokens.findById(HexFormat.of().formatHex(Secrets.sha256(token))).map(row -> {
            if (row == null || !purpose.equals(row.purpose)) {
                return new Link(LinkState.UNKNOWN, null);
            }
            if (row.usedAt != null) {
                return new Link(LinkState.USED, null);
            }
            return !now.isBefore(row.expiresAt) ? new Link(LinkState.EXPIRED, null) : new Link(LinkState.VALID, row.email);
        });
    }

    /**
     * A new verification mail for {@code rawEmail}, asked for on a stale link's page: sent only to an account whose
     * address is not verified yet, and answered the same way whatever the address, like a reset request.
     */
    public Uni<Void> resendVerificationTo(String rawEmail, String address) {
        String email = EmailAddresses.normalise(rawEmail);
        if (email == null) {
            return Uni.createFrom().failure(ApiException.validation("'email' is not a valid email address"));
        }
        return limiter.reserveMail(email, address).flatMap(ignored -> sendVerificationTo(email));
    }

    @WithTransaction
    Uni<Void> sendVerificationTo(String email) {
        return users.findByEmail(email).flatMap(user -> user == null || user.emailVerified()
                || User.DISABLED.equals(user.status) ? Uni.createFrom().voidItem() : sendVerification(user));
    }

    /** An operator approves an account awaiting approval; it takes effect at the user's next refresh. */
    @WithTransaction
    public Uni<User> approve(String userId) {
        UUID id = SessionService.uuid(userId);
        if (id == null) {
            return Uni.createFrom().failure(ApiException.notFound("User"));
        }
        return users.findById(id).map(user -> {
            if (user == null) {
                throw ApiException.notFound("User");
            }
            if (User.PENDING.equals(user.status)) {
                user.status = User.ACTIVE;
                user.approvedAt = SessionService.now();
                user.updatedAt = user.approvedAt;
            }
            return user;
        });
    }

    Uni<Void> setPassword(User user, String next, boolean markVerified) {
        String refusal = passwords.refusal(next, user.email, user.name);
        if (refusal != null) {
            return Uni.createFrom().failure(ApiException.validation(refusal.replace("'password'", "'new_password'")));
        }
        return passwords.hash(next).flatMap(hash -> storePassword(user.id, hash, markVerified));
    }

    @WithTransaction
    Uni<Void> storePassword(UUID userId, String hash, boolean markVerified) {
        return users.findById(userId).flatMap(fresh -> {
            OffsetDateTime now = SessionService.now();
            PasswordCredential credential = new PasswordCredential();
            credential.userId = userId;
            credential.hash = hash;
            credential.updatedAt = now;
            if (fresh != null && markVerified && fresh.emailVerifiedAt == null) {
                fresh.emailVerifiedAt = now;
            }
            if (fresh != null) {
                fresh.updatedAt = now;
            }
            return users.persistPassword(credential).replaceWithVoid();
        });
    }

    /** Marks a single-use mail token used, atomically: two concurrent uses cannot both succeed. */
    Uni<EmailToken> consume(String token, String purpose) {
        if (!wellFormed(token)) {
            return Uni.createFrom().failure(invalidToken());
        }
        return use(HexFormat.of().formatHex(Secrets.sha256(token)), purpose, SessionService.now());
    }

    @WithTransaction
    Uni<EmailToken> use(String hash, String purpose, OffsetDateTime now) {
        return emailTokens.findById(hash).flatMap(row -> {
            if (row == null || !purpose.equals(row.purpose)) {
                return Uni.createFrom().<EmailToken>failure(invalidToken());
            }
            if (!now.isBefore(row.expiresAt)) {
                return Uni.createFrom().<EmailToken>failure(new ApiException(410, "token_expired",
                        "This link has expired; ask for a new one"));
            }
            return emailTokens.update("usedAt = ?1 where tokenHash = ?2 and usedAt is null", now, hash)
                    .map(updated -> {
                        if (updated == 0) {
                            throw invalidToken();
                        }
                        return row;
                    });
        });
    }

    private static boolean wellFormed(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    static EmailToken tokenRow(String token, User user, String purpose, java.time.Duration ttl) {
        EmailToken row = new EmailToken();
        row.tokenHash = HexFormat.of().formatHex(Secrets.sha256(token));
        row.userId = user.id;
        row.purpose = purpose;
        row.email = user.email;
        row.createdAt = SessionService.now();
        row.expiresAt = row.createdAt.plus(ttl);
        return row;
    }

    static ApiException invalidToken() {
        return new ApiException(400, "invalid_token", "This link is not valid (or was already used)");
    }
}
