package dev.latchkey.identity.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.config.OAuthConfig;
import dev.latchkey.identity.domain.AuthorizationCode;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.domain.ChosenOrganization;
import dev.latchkey.identity.domain.DeviceAuthorization;
import dev.latchkey.identity.domain.OAuthSession;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.oauth.AuthorizationCodes;
import dev.latchkey.identity.oauth.IdTokens;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.oauth.Pkce;
import dev.latchkey.identity.repository.AuthorizationCodeRepository;
import dev.latchkey.identity.repository.AuthorizationRequestRepository;
import dev.latchkey.identity.repository.DeviceAuthorizationRepository;
import dev.latchkey.identity.repository.OAuthSessionRepository;
import dev.latchkey.identity.repository.SessionRepository;
import dev.latchkey.identity.repository.UserRepository;
import dev.latchkey.identity.service.ClientRegistry.Client;
import dev.latchkey.identity.service.SessionService.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The authorization-code flow with PKCE (OAuth 2.1): an authorization request is checked and kept while the
 * person signs in, picks an organization and consents on the pages; a single-use code bound to client, redirect
 * URI and PKCE challenge is then exchanged for a session of {@link SessionService} (its refresh token rotates like
 * any other), an access token and, for {@code openid}, an ID token. The session is bound to the client: only that
 * client refreshes, introspects or revokes it.
 */
@ApplicationScoped
public class AuthorizationService {

    /** What GET /v1/oauth/authorize leads to. */
    public sealed interface Begin {
    }

    /** The request cannot be trusted to redirect anywhere (unknown client, unregistered redirect URI). */
    public record Refused(String code, String message) implements Begin {
    }

    /** An error the client hears about at its redirect URI (RFC 6749 §4.1.2.1). */
    public record RedirectBack(String location) implements Begin {
    }

    public record Started(AuthorizationRequest request, Client client) implements Begin {
    }

    /** Where the pages go next for a signed-in person. */
    public sealed interface Step {
    }

    public record PickOrganization(List<OrganizationRole> organizations) implements Step {
    }

    public record Consent(Client client, AuthorizationRequest request, User user, OrganizationRole organization)
            implements Step {
    }

    public record Redirect(String location) implements Step {
    }

    /** What the token endpoint answers for a code or a refresh. */
    public record Granted(Tokens tokens, String idToken, List<String> scopes) {
        @Override
        public String toString() {
            return "Granted[" + tokens + "]";
        }
    }

    private static final int MAX_PARAM = 512;

    private final ClientRegistry clients;
    private final AuthorizationRequestRepository requests;
    private final AuthorizationCodeRepository codes;
    private final OAuthSessionRepository grants;
    private final SessionRepository sessionRows;
    private final UserRepository users;
    private final SessionService sessions;
    private final TenantClient tenants;
    private final SigningKeyService keys;
    private final OAuthConfig oauth;
    private final IdTokens idTokens;
    private final String issuer;
    private final String deviceDone;
    private final DeviceAuthorizationRepository devices;

    public AuthorizationService(ClientRegistry clients, AuthorizationRequestRepository requests,
            AuthorizationCodeRepository codes, OAuthSessionRepository grants, SessionRepository sessionRows,
            UserRepository users, SessionService sessions, TenantClient tenants, SigningKeyService keys,
            OAuthConfig oauth, IdentityConfig config, DeviceAuthorizationRepository devices) {
        this.clients = clients;
        this.requests = requests;
        this.codes = codes;
        this.grants = grants;
        this.sessionRows = sessionRows;
        this.users = users;
        this.sessions = sessions;
        this.tenants = tenants;
        this.keys = keys;
        this.oauth = oauth;
        this.issuer = config.issuer();
        this.idTokens = new IdTokens(config.issuer());
        this.devices = devices;
        this.deviceDone = config.publicUrl().replaceAll("/+$", "") + DEVICE_DONE_PATH;
    }

    /** The page a device authorization's pages end on (no client to redirect to). */
    public static final String DEVICE_DONE_PATH = "/v1/oauth/device/done";

    /**
     * A person entered a pending device's user code in this browser: an authorization request for the device's
     * client and scopes, continued by the usual pages, ending on {@link #DEVICE_DONE_PATH}.
     */
    public Uni<AuthorizationRequest> beginDevice(DeviceAuthorization device, String browserValue) {
        AuthorizationRequest r = new AuthorizationRequest();
        r.id = Secrets.randomBase62(32);
        r.browserHash = Secrets.sha256Hex(browserValue);
        r.clientId = device.clientId;
        r.redirectUri = deviceDone;
        r.scopes = device.scopes;
        r.host = device.host;
        r.deviceCodeHash = device.deviceCodeHash;
        r.createdAt = SessionService.now();
        r.expiresAt = device.expiresAt;
        return Panache.withTransaction(() -> requests.persist(r));
    }

    /**
     * Checks an authorization request. The client and redirect URI first: until both are known good nothing
     * may be sent to the redirect URI (an open redirector otherwise). Every later error goes back to the client.
     */
    public Uni<Begin> begin(Map<String, String> p, String browserValue) {
        String clientId = p.get("client_id");
        String redirectUri = p.get("redirect_uri");
        return clients.find(clientId).flatMap(found -> {
            if (found.isEmpty()) {
                return item(new Refused("invalid_client", "Unknown client_id"));
            }
            Client client = found.get();
            if (redirectUri == null || !client.allowsRedirect(redirectUri)) {
                return item(new Refused("invalid_redirect_uri",
                        "The redirect_uri is not registered for this client"));
            }
            String state = p.get("state");
            if (p.containsKey("\0repeated")) {
                return item(back(redirectUri, "invalid_request", "A parameter was sent more than once", state));
            }
            if (!"code".equals(p.get("response_type"))) {
                return item(back(redirectUri, "unsupported_response_type", "Only response_type=code is supported",
                        state));
            }
            String challenge = p.get("code_challenge");
            if (challenge == null) {
                return item(back(redirectUri, "invalid_request", "PKCE is required: send code_challenge with "
                        + "code_challenge_method=S256", state));
            }
            if (!Pkce.S256.equals(p.get("code_challenge_method"))) {
                return item(back(redirectUri, "invalid_request", "code_challenge_method must be S256 (plain is not "
                        + "accepted)", state));
            }
            if (!Pkce.validChallenge(challenge)) {
                return item(back(redirectUri, "invalid_request", "code_challenge is not a base64url SHA-256", state));
            }
            List<String> scopes = OAuthScopes.parse(p.get("scope"));
            if (scopes == null) {
                return item(back(redirectUri, "invalid_scope", "Supported scopes: "
                        + String.join(" ", OAuthScopes.SUPPORTED), state));
            }
            if (tooLong(state) || tooLong(p.get("nonce")) || tooLong(p.get("host"))) {
                return item(back(redirectUri, "invalid_request", "state, nonce and host are limited to "
                        + MAX_PARAM + " characters", state));
            }
            AuthorizationRequest r = new AuthorizationRequest();
            r.id = Secrets.randomBase62(32);
            r.browserHash = Secrets.sha256Hex(browserValue);
            r.clientId = client.id();
            r.redirectUri = redirectUri;
            r.scopes = String.join(" ", scopes);
            r.state = state;
            r.nonce = p.get("nonce");
            r.codeChallenge = challenge;
            r.host = printable(p.get("host"));
            r.createdAt = SessionService.now();
            r.expiresAt = r.createdAt.plus(oauth.requestTtl());
            return Panache.withTransaction(() -> requests.persist(r)).map(saved -> (Begin) new Started(saved, client));
        });
    }

    /** The request, if it exists, has not expired and belongs to this browser; else 400 invalid_request. */
    public Uni<AuthorizationRequest> load(String id, String browserValue) {
        if (id == null || id.length() != 32 || browserValue == null) {
            return Uni.createFrom().failure(expiredRequest());
        }
        return Panache.withSession(() -> requests.findById(id)).map(r -> {
            if (r == null || !SessionService.now().isBefore(r.expiresAt)
                    || !Secrets.constantTimeEquals(r.browserHash, Secrets.sha256Hex(browserValue))) {
                throw expiredRequest();
            }
            return r;
        });
    }

    /** Records who signed in for this request (password or upstream provider). */
    public Uni<Void> signedIn(String requestId, UUID userId, UUID sessionId, OffsetDateTime authTime) {
        return Panache.withTransaction(() -> requests.update(
                "userId = ?1, sessionId = ?2, authTime = ?3, organizationId = null, upstreamStateHash = null, "
                        + "upstreamVerifier = null, upstreamNonce = null where id = ?4", userId, sessionId,
                authTime, requestId)).replaceWithVoid();
    }

    /** The organization picked on the page; 404 unless the person belongs to it. */
    public Uni<Void> chooseOrganization(AuthorizationRequest r, String organizationId) {
        UUID org = SessionService.uuid(organizationId);
        if (r.userId == null || org == null) {
            return Uni.createFrom().failure(ApiException.notFound("Organization"));
        }
        return tenants.membership(org.toString(), r.userId.toString()).flatMap(m -> {
            if (m.isEmpty()) {
                return Uni.createFrom().failure(ApiException.notFound("Organization"));
            }
            return Panache.withTransaction(() -> requests.update("organizationId = ?1 where id = ?2", org, r.id))
                    .replaceWithVoid();
        });
    }

    /** The next page for a person who has signed in: organization picker, consent, or straight back with a code. */
    public Uni<Step> next(AuthorizationRequest r) {
        if (r.userId == null) {
            return Uni.createFrom().failure(expiredRequest());
        }
        return Panache.withSession(() -> users.findById(r.userId)).flatMap(user -> {
            if (user == null || User.DISABLED.equals(user.status)) {
                return Uni.createFrom().failure(expiredRequest());
            }
            return tenants.memberships(user.id.toString())
                    .flatMap(list -> list.isEmpty()
                            // tenant-service was down at sign-up: the personal organization is made now.
                            ? tenants.onboard(user.id.toString(), user.email, user.emailVerified(), user.name)
                            : Uni.createFrom().item(list))
                    .flatMap(list -> {
                        OrganizationRole chosen = r.organizationId == null ? null
                                : list.stream().filter(o -> o.organizationId().equals(r.organizationId.toString()))
                                        .findFirst().orElse(null);
                        if (chosen == null && list.size() > 1) {
                            return item((Step) new PickOrganization(list));
                        }
                        OrganizationRole organization = chosen != null ? chosen : list.isEmpty() ? null : list.get(0);
                        return clients.find(r.clientId).flatMap(client -> {
                            if (client.isEmpty()) {
                                return Uni.createFrom().failure(expiredRequest());
                            }
                            if (client.get().skipConsent()) {
                                return approve(r, organization).map(location -> (Step) new Redirect(location));
                            }
                            return item((Step) new Consent(client.get(), r, user, organization));
                        });
                    });
        });
    }

    /** The person allowed the client: a code, and the redirect carrying it. */
    public Uni<String> allow(AuthorizationRequest r) {
        return next(r).flatMap(step -> switch (step) {
            case Consent consent -> approve(r, consent.organization());
            case Redirect redirect -> item(redirect.location());
            case PickOrganization pick -> Uni.createFrom().failure(expiredRequest());
        });
    }

    /** The person denied: the request ends and the client hears access_denied. */
    public Uni<String> deny(AuthorizationRequest r) {
        if (r.deviceCodeHash != null) {
            return Panache.withTransaction(() -> devices.update("status = ?1 where deviceCodeHash = ?2 and status = ?3",
                    DeviceAuthorization.DENIED, r.deviceCodeHash, DeviceAuthorization.PENDING)
                    .flatMap(n -> requests.deleteById(r.id)))
                    .replaceWith(deviceDone + "?error=access_denied");
        }
        return Panache.withTransaction(() -> requests.deleteById(r.id))
                .replaceWith(back(r.redirectUri, "access_denied", "The person denied the request", r.state).location());
    }

    /** A redirect with an error for a request (login_required, an upstream failure the person cannot fix here). */
    public String errorRedirect(AuthorizationRequest r, String error, String description) {
        return back(r.redirectUri, error, description, r.state).location();
    }

    private Uni<String> approve(AuthorizationRequest r, OrganizationRole organization) {
        if (r.deviceCodeHash != null) {
            return approveDevice(r, organization);
        }
        String code = AuthorizationCodes.generate();
        AuthorizationCode row = new AuthorizationCode();
        row.codeHash = AuthorizationCodes.hash(code);
        row.clientId = r.clientId;
        row.redirectUri = r.redirectUri;
        row.codeChallenge = r.codeChallenge;
        row.userId = r.userId;
        row.organization = ChosenOrganization.of(organization);
        row.scopes = r.scopes;
        row.nonce = r.nonce;
        row.authTime = r.authTime == null ? SessionService.now() : r.authTime;
        row.createdAt = SessionService.now();
        row.expiresAt = row.createdAt.plus(oauth.codeTtl());
        return Panache.withTransaction(() -> codes.persist(row).flatMap(saved -> requests.deleteById(r.id)))
                .replaceWith(withParams(r.redirectUri, params("code", code, "state", r.state, "iss", issuer)));
    }

    /** The device waiting for this request may now collect its tokens (RFC 8628 §3.5). */
    private Uni<String> approveDevice(AuthorizationRequest r, OrganizationRole organization) {
        OffsetDateTime now = SessionService.now();
        return Panache.withTransaction(() -> devices.findById(r.deviceCodeHash, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(device -> {
                    if (device == null || !DeviceAuthorization.PENDING.equals(device.status)
                            || !now.isBefore(device.expiresAt)) {
                        return requests.deleteById(r.id).replaceWith(deviceDone + "?error=expired_token");
                    }
                    device.status = DeviceAuthorization.APPROVED;
                    device.userId = r.userId;
                    device.authTime = r.authTime == null ? now : r.authTime;
                    device.organization = ChosenOrganization.of(organization);
                    return requests.deleteById(r.id).replaceWith(deviceDone);
                }));
    }

    /**
     * The authorization_code grant. Every refusal is 400 invalid_grant with a precise {@code code}; a code presented
     * a second time also ends the session it was exchanged for (RFC 6749 §4.1.2).
     */
    public Uni<Granted> exchange(Client client, String code, String redirectUri, String verifier, String userAgent,
            String address) {
        if (!AuthorizationCodes.wellFormed(code)) {
            return Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_code", "The authorization code is not valid"));
        }
        if (redirectUri == null || verifier == null) {
            return Uni.createFrom().failure(OAuthProblem.invalidRequest("redirect_uri and code_verifier are required"));
        }
        String hash = AuthorizationCodes.hash(code);
        Instant now = Instant.now();
        // One transaction for the whole exchange: the code marked used, the session with its refresh token, the
        // client's grant and the code's session id commit together (bench/oauth: four transactions through
        // Hibernate Reactive were most of the exchange's cost). A failure leaves the code unused.
        return Panache.withTransaction(() -> codes.findById(hash, LockModeType.PESSIMISTIC_WRITE).flatMap(row -> {
            AuthorizationCodes.Status status = AuthorizationCodes.check(row == null ? null
                    : new AuthorizationCodes.Issued(row.clientId, row.redirectUri, row.codeChallenge,
                            row.expiresAt.toInstant(), row.usedAt == null ? null : row.usedAt.toInstant()),
                    client.id(), redirectUri, verifier, now);
            if (status != AuthorizationCodes.Status.VALID) {
                return Uni.createFrom().item(new Checked(status, row, null));
            }
            row.usedAt = SessionService.now();
            return start(client, row, userAgent, address).map(granted -> new Checked(status, row, granted));
        })).flatMap(checked -> switch (checked.status()) {
            case VALID -> Uni.createFrom().item(checked.granted());
            case USED -> replayed(checked.row());
            case EXPIRED -> Uni.createFrom().failure(OAuthProblem.invalidGrant("code_expired",
                    "The authorization code has expired"));
            case WRONG_CLIENT -> Uni.createFrom().failure(OAuthProblem.invalidGrant("wrong_client",
                    "The authorization code was issued to another client"));
            case WRONG_REDIRECT_URI -> Uni.createFrom().failure(OAuthProblem.invalidGrant("redirect_uri_mismatch",
                    "redirect_uri differs from the authorization request's"));
            case WRONG_VERIFIER -> Uni.createFrom().failure(OAuthProblem.invalidGrant("pkce_failed",
                    "code_verifier does not match the code_challenge"));
            case UNKNOWN -> Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_code",
                    "The authorization code is not valid"));
        });
    }

    private record Checked(AuthorizationCodes.Status status, AuthorizationCode row, Granted granted) {
    }

    private Uni<Granted> replayed(AuthorizationCode row) {
        Log.warnf("authorization code of client %s presented again: ending the session it was exchanged for",
                row.clientId);
        Uni<Integer> ended = row.sessionId == null ? Uni.createFrom().item(0)
                : sessions.end(List.of(row.sessionId), "authorization_code_reused");
        return ended.flatMap(n -> Uni.createFrom().failure(OAuthProblem.invalidGrant("code_reused",
                "The authorization code was already used; what it was exchanged for has been revoked")));
    }

    private Uni<Granted> start(Client client, AuthorizationCode row, String userAgent, String address) {
        OrganizationRole organization = ChosenOrganization.role(row.organization);
        // Runs inside exchange's transaction (the nested ones join it); row is managed there, so the session id
        // is written with the rest at commit.
        return startSession(client, row.userId, organization, row.scopes, row.nonce, row.authTime, userAgent, address)
                .invoke(granted -> row.sessionId = granted.tokens().session().id);
    }

    /**
     * A session of {@link SessionService} for a person a client was granted access to (a code, an approved device),
     * bound to that client; an ID token beside it for {@code openid}.
     */
    public Uni<Granted> startSession(Client client, UUID userId, OrganizationRole organization, String grantedScopes,
            String nonce, OffsetDateTime authTime, String userAgent, String address) {
        List<String> scopes = List.of(grantedScopes.split(" "));
        return Panache.withSession(() -> users.findById(userId)).flatMap(user -> {
            if (user == null || User.DISABLED.equals(user.status)) {
                return Uni.createFrom().<Granted>failure(OAuthProblem.invalidGrant("account_disabled",
                        "The account is disabled"));
            }
            return sessions.start(user, organization, userAgent, address).flatMap(tokens -> {
                OAuthSession grant = new OAuthSession();
                grant.sessionId = tokens.session().id;
                grant.clientId = client.id();
                grant.scopes = grantedScopes;
                grant.authTime = authTime;
                return Panache.withTransaction(() -> grants.persist(grant))
                        .map(x -> new Granted(tokens, idToken(client, user, tokens, scopes, nonce,
                                authTime.toInstant()), scopes));
            });
        });
    }

    /**
     * The refresh_token grant: the session's refresh token rotates (replay ends the session), the role is read
     * again. Only the client the session was granted to may refresh it.
     */
    public Uni<Granted> refresh(Client client, String refreshToken, String userAgent, String address) {
        UUID named = sessions.sessionOf(refreshToken);
        if (named == null) {
            return Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_refresh_token",
                    "The refresh token is not valid"));
        }
        return Panache.withSession(() -> grants.findById(named))
                .flatMap(grant -> {
                    if (grant == null || !grant.clientId.equals(client.id())) {
                        return Uni.createFrom().<Granted>failure(OAuthProblem.invalidGrant("invalid_refresh_token",
                                "The refresh token is not valid for this client"));
                    }
                    List<String> scopes = List.of(grant.scopes.split(" "));
                    return sessions.refresh(refreshToken, userAgent, address)
                            .onFailure(ApiException.class).transform(e -> OAuthProblem.of((ApiException) e,
                                    "invalid_grant"))
                            .map(tokens -> new Granted(tokens, idToken(client, tokens.user(), tokens, scopes, null,
                                    grant.authTime.toInstant()), scopes));
                });
    }

    /** Binds a session started outside the code flow (token exchange) to a client. */
    public Uni<Void> bind(UUID sessionId, String clientId, List<String> scopes) {
        OAuthSession grant = new OAuthSession();
        grant.sessionId = sessionId;
        grant.clientId = clientId;
        grant.scopes = String.join(" ", scopes);
        grant.authTime = SessionService.now();
        return Panache.withTransaction(() -> grants.persist(grant)).replaceWithVoid();
    }

    /** The client a session was granted to, or null (a password sign-in at /v1/auth/login). */
    public Uni<OAuthSession> grantOf(UUID sessionId) {
        return sessionId == null ? Uni.createFrom().nullItem() : Panache.withSession(() -> grants.findById(sessionId));
    }

    private String idToken(Client client, User user, Tokens tokens, List<String> scopes, String nonce, Instant authTime) {
        if (!scopes.contains(OAuthScopes.OPENID)) {
            return null;
        }
        boolean email = scopes.contains(OAuthScopes.EMAIL);
        boolean profile = scopes.contains(OAuthScopes.PROFILE);
        return idTokens.sign(new IdTokens.Subject(user.id.toString(), client.id(), tokens.session().id.toString(),
                authTime, nonce, email ? user.email : null, email ? user.emailVerified() : null,
                profile ? user.name : null), tokens.accessToken(), keys.activeKey(), Instant.now(), oauth.idTokenTtl());
    }

    /** Requests and codes past their lifetime are removed; codes an hour later (a replay is still recognised). */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        OffsetDateTime now = SessionService.now();
        return Panache.withTransaction(() -> requests.delete("expiresAt < ?1", now)
                .flatMap(n -> codes.delete("expiresAt < ?1", now.minusHours(1)))
                .flatMap(n -> devices.delete("expiresAt < ?1", now.minusHours(1))))
                .replaceWithVoid()
                .onFailure().invoke(e -> Log.warnf("expired authorization requests not purged: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    private static ApiException expiredRequest() {
        return new ApiException(400, "invalid_request",
                "This sign-in request has expired or belongs to another browser; start again from the application");
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_PARAM;
    }

    /** The host the CLI says it runs on: shown, never trusted; control characters removed. */
    static String printable(String host) {
        if (host == null) {
            return null;
        }
        String clean = host.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return clean.isEmpty() ? null : clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    private RedirectBack back(String redirectUri, String error, String description, String state) {
        return new RedirectBack(withParams(redirectUri, params("error", error, "error_description", description,
                "state", state, "iss", issuer)));
    }

    private static Map<String, String> params(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put(pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    static String withParams(String uri, Map<String, String> params) {
        StringBuilder out = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            out.append(separator).append(e.getKey()).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    private static <T> Uni<T> item(T value) {
        return Uni.createFrom().item(value);
    }
}
