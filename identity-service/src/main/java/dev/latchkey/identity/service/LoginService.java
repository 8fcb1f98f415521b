package dev.latchkey.identity.service;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.domain.PasswordCredential;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.password.EmailAddresses;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.service.SessionService.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Sign-in with email and password. A wrong password and an unknown address answer the same 401
 * {@code invalid_credentials}, with the same body and (a decoy hash is checked for unknown addresses) about the
 * same time. Attempts are limited per address and per client in Redis, atomically, before any hash is computed.
 */
@ApplicationScoped
public class LoginService {

    private final UserRepository users;
    private final PasswordService passwords;
    private final LoginLimiter limiter;
    private final SessionService sessions;
    private final AccountService accounts;

    public LoginService(UserRepository users, PasswordService passwords, LoginLimiter limiter, SessionService sessions,
            AccountService accounts) {
        this.users = users;
        this.passwords = passwords;
        this.limiter = limiter;
        this.sessions = sessions;
        this.accounts = accounts;
    }

    public Uni<Tokens> login(String rawEmail, String password, String userAgent, String clientAddress) {
        String email = EmailAddresses.normalise(rawEmail);
        if (email == null) {
            // Not an address, so not an account: the same answer as a wrong password, at once.
            return Uni.createFrom().failure(invalidCredentials());
        }
        accounts.admit(email);
        return limiter.reserve(email, clientAddress)
                .flatMap(ignored -> candidate(email))
                .flatMap(candidate -> passwords.verify(password == null ? "" : password,
                        candidate.credential() == null ? null : candidate.credential().hash)
                        .flatMap(ok -> {
                            if (!ok || candidate.user() == null) {
                                return Uni.createFrom().<Tokens>failure(invalidCredentials());
                            }
                            User user = candidate.user();
                            if (User.DISABLED.equals(user.status)) {
                                return Uni.createFrom().<Tokens>failure(new ApiException(403, "account_disabled",
                                        "This account is disabled"));
                            }
                            return limiter.succeeded(email, clientAddress)
                                    .flatMap(x -> sessions.activeOrganization(user, null))
                                    .flatMap(org -> sessions.start(user, org, userAgent, clientAddress));
                        }));
    }

    /** The account of {@code email} and its password, read in one session; nulls for an unknown address. */
    @WithSession
    Uni<Candidate> candidate(String email) {
        return users.findByEmail(email).flatMap(user -> user == null
                ? Uni.createFrom().item(new Candidate(null, null))
                : users.password(user.id).map(credential -> new Candidate(user, credential)));
    }

    record Candidate(User user, PasswordCredential credential) {
    }

    static ApiException invalidCredentials() {
        return new ApiException(401, "invalid_credentials", "The email address or the password is not right");
    }
}
