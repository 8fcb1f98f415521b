package dev.latchkey.identity.service;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.ExternalIdentity;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.password.EmailAddresses;
import dev.latchkey.identity.repository.ExternalIdentityRepository;
import dev.latchkey.identity.repository.UserRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * People who sign in through an upstream provider or exchange an external ID token. An identity is the pair
 * (issuer, subject); the first time one is seen it is linked to the account with the same address only when the
 * issuer says the address is verified, since an unverified address is anyone's claim (an attacker could otherwise
 * register the victim's address upstream and take over the Latchkey account). Without an account, one is created
 * with the address verified and the personal organization made through tenant-service, which also honours
 * invitations to that address. Access gating applies as to every sign-in.
 *
 * <p>An existing account whose address was never verified is claimed, not merely linked: its password is removed
 * and its sessions are ended. Otherwise whoever registered the victim's address first (a pre-account takeover)
 * would keep signing in with their password after the real owner arrives through the provider. The owner can
 * set a password again by reset mail.
 */
@ApplicationScoped
public class ExternalAccounts {

    private final UserRepository users;
    private final ExternalIdentityRepository identities;
    private final AccountService accounts;
    private final TenantClient tenants;
    private final IdentityConfig config;
    private final SessionService sessions;

    public ExternalAccounts(UserRepository users, ExternalIdentityRepository identities, AccountService accounts,
            TenantClient tenants, IdentityConfig config, SessionService sessions) {
        this.users = users;
        this.identities = identities;
        this.accounts = accounts;
        this.tenants = tenants;
        this.config = config;
        this.sessions = sessions;
    }

    record Outcome(User user, boolean onboard, boolean claimed) {
        Outcome(User user, boolean onboard) {
            this(user, onboard, false);
        }
    }

    /**
     * The account of an external identity, linked or created as above. 403 {@code email_not_allowed} (gating),
     * 403 {@code email_not_verified} (no verified address to link or create with), 403 {@code account_disabled}.
     */
    public Uni<User> signIn(String issuer, String subject, String rawEmail, boolean emailVerified, String name) {
        String email = EmailAddresses.normalise(rawEmail);
        return linkOrCreate(issuer, subject, email, emailVerified, name).flatMap(outcome -> {
            User user = outcome.user();
            if (User.DISABLED.equals(user.status)) {
                return Uni.createFrom().failure(new ApiException(403, "account_disabled", "This account is disabled"));
            }
            if (outcome.claimed()) {
                Log.warnf("user %s: unverified account claimed through %s; password removed, sessions ended", user.id,
                        issuer);
            }
            Uni<Integer> ended = outcome.claimed() ? sessions.endAllOf(user.id, null, "account_claimed")
                    : Uni.createFrom().item(0);
            if (!outcome.onboard()) {
                return ended.replaceWith(user);
            }
            return ended.flatMap(x -> tenants.onboard(user.id.toString(), user.email, true, user.name).replaceWith(user)
                    .onFailure().recoverWithItem(e -> {
                        Log.warnf("user %s signed in through %s; organizations deferred: %s", user.id, issuer, e.toString());
                        return user;
                    }));
        });
    }

    /** The account the identity is linked to, or the one of its verified address (claimed or created) linked now. */
    @WithTransaction
    Uni<Outcome> linkOrCreate(String issuer, String subject, String email, boolean emailVerified, String name) {
        return identities.find(issuer, subject).flatMap(identity -> {
            OffsetDateTime now = SessionService.now();
            if (identity != null) {
                identity.lastUsedAt = now;
                return users.findById(identity.userId).map(user -> {
                    admitted(user.email);
                    boolean newlyVerified = emailVerified && user.email.equals(email) && !user.emailVerified();
                    if (newlyVerified) {
                        user.emailVerifiedAt = now;
                        user.updatedAt = now;
                    }
                    return new Outcome(user, newlyVerified);
                });
            }
            if (email == null || !emailVerified) {
                return Uni.createFrom().failure(new ApiException(403, "email_not_verified",
                        "Your account there has no verified email address; verify it there, or sign in another way"));
            }
            admitted(email);
            return users.findByEmail(email).flatMap(existing -> {
                if (existing != null) {
                    if (existing.emailVerified()) {
                        return link(issuer, subject, existing, email, now).replaceWith(new Outcome(existing, false));
                    }
                    // Nobody had proven this address: the provider's owner claims the account (see above).
                    existing.emailVerifiedAt = now;
                    existing.updatedAt = now;
                    return users.password(existing.id)
                            .flatMap(password -> password == null ? Uni.createFrom().voidItem()
                                    : users.deletePassword(password))
                            .flatMap(x -> link(issuer, subject, existing, email, now))
                            .replaceWith(new Outcome(existing, true, true));
                }
                User user = new User();
                user.id = UUID.randomUUID();
                user.email = email;
                user.name = name == null ? "" : name.strip();
                user.status = config.gating().requireApproval() ? User.PENDING : User.ACTIVE;
                user.emailVerifiedAt = now;
                user.createdAt = now;
                user.updatedAt = now;
                return users.persist(user).flatMap(u -> users.flush())
                        .flatMap(x -> link(issuer, subject, user, email, now)).replaceWith(new Outcome(user, true));
            });
        });
    }

    private void admitted(String email) {
        accounts.admit(email);
    }

    private Uni<Void> link(String issuer, String subject, User user, String email, OffsetDateTime now) {
        ExternalIdentity identity = new ExternalIdentity();
        identity.issuer = issuer;
        identity.subject = subject;
        identity.userId = user.id;
        identity.email = email;
        identity.createdAt = now;
        identity.lastUsedAt = now;
        return identities.persist(identity).replaceWithVoid();
    }
}
