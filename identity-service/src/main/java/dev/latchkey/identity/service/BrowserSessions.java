package dev.latchkey.identity.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.identity.domain.BrowserSession;
import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.repository.BrowserSessionRepository;
import dev.latchkey.identity.repository.SessionRepository;
import dev.latchkey.identity.repository.UserRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * A browser signed in on the pages, so that a second authorization request does not ask for the password again.
 * The cookie is opaque ({@code lkb_} + 256 random bits), stored only as SHA-256, and belongs to a Latchkey
 * session: when that session ends (logout, sign out everywhere, an operator, a password change) or expires, the
 * browser is signed out too.
 */
@ApplicationScoped
public class BrowserSessions {

    public static final String PREFIX = "lkb_";

    /** Who a browser is signed in as. */
    public record SignedIn(User user, Session session) {
    }

    private final BrowserSessionRepository browsers;
    private final SessionRepository sessions;
    private final UserRepository users;
    private final SessionService sessionService;

    public BrowserSessions(BrowserSessionRepository browsers, SessionRepository sessions, UserRepository users,
            SessionService sessionService) {
        this.browsers = browsers;
        this.sessions = sessions;
        this.users = users;
        this.sessionService = sessionService;
    }

    /** Signs the browser in for {@code sessionId}; returns the cookie value. */
    @WithTransaction
    public Uni<String> create(UUID sessionId) {
        String value = PREFIX + Secrets.randomBase62(43);
        BrowserSession row = new BrowserSession();
        row.tokenHash = Secrets.sha256Hex(value);
        row.sessionId = sessionId;
        row.createdAt = SessionService.now();
        return browsers.persist(row).replaceWith(value);
    }

    /** Who the cookie signs in, or null: unknown cookie, ended or expired session, disabled account. */
    @WithSession
    public Uni<SignedIn> current(String cookie) {
        if (cookie == null || cookie.length() != PREFIX.length() + 43 || !cookie.startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return browsers.findById(Secrets.sha256Hex(cookie))
                .flatMap(row -> row == null ? Uni.createFrom().<Session>nullItem() : sessions.findById(row.sessionId))
                .flatMap(session -> {
                    if (session == null || !session.active(SessionService.now())) {
                        return Uni.createFrom().<SignedIn>nullItem();
                    }
                    return users.findById(session.userId).map(user -> user == null
                            || User.DISABLED.equals(user.status) ? null : new SignedIn(user, session));
                });
    }

    /** Signs the browser out: its session ends (and is published like any other end). */
    public Uni<Void> signOut(String cookie) {
        return current(cookie).flatMap(signedIn -> signedIn == null ? Uni.createFrom().voidItem()
                : sessionService.end(List.of(signedIn.session().id), "logout").replaceWithVoid());
    }
}
