package dev.latchkey.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.config.OAuthConfig;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.domain.DeviceAuthorization;
import dev.latchkey.identity.oauth.AuthorizationResponses;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.oauth.Pkce;
import dev.latchkey.identity.oauth.Prompt;
import dev.latchkey.identity.oauth.ResourceIndicators;
import dev.latchkey.identity.repository.AuthorizationRequestRepository;
import dev.latchkey.identity.service.ClientRegistry.Client;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * An authorization request (OAuth 2.1 code flow with PKCE) while the person is on the pages: checked at the
 * authorization endpoint, or made when a person enters a device's user code, then kept in PostgreSQL (so any
 * replica serves any step) bound to the browser that started it, and marked with who signed in and the
 * organization they picked. {@link AuthorizationSteps} decides where it goes next.
 */
@ApplicationScoped
public class AuthorizationRequests {

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

    /** The page a device authorization's pages end on (no client to redirect to). */
    public static final String DEVICE_DONE_PATH = "/v1/oauth/device/done";

    private static final int MAX_PARAM = 512;

    private final ClientRegistry clients;
    private final AuthorizationRequestRepository requests;
    private final AuthorizationPurge purge;
    private final OAuthConfig oauth;
    private final AuthorizationResponses responses;
    private final String deviceDone;

    public AuthorizationRequests(ClientRegistry clients, AuthorizationRequestRepository requests,
            AuthorizationPurge purge, OAuthConfig oauth, IdentityConfig config) {
        this.clients = clients;
        this.requests = requests;
        this.purge = purge;
        this.oauth = oauth;
        this.responses = new AuthorizationResponses(config.issuer());
        this.deviceDone = deviceDone(config);
    }

    /** Where the pages of a device authorization end, on this installation's public URL. */
    static String deviceDone(IdentityConfig config) {
        return config.publicUrl().replaceAll("/+$", "") + DEVICE_DONE_PATH;
    }

    /**
     * A person entered a pending device's user code in this browser: an authorization request for the device's
     * client and scopes, continued by the usual pages, ending on {@link #DEVICE_DONE_PATH}.
     */
    @WithTransaction
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
        return requests.persist(r);
    }

    /**
     * Checks an authorization request. The client and redirect URI first: until both are known good nothing
     * may be sent to the redirect URI (an open redirector otherwise). Every later error goes back to the client.
     * {@code resources}: the RFC 8707 {@code resource} parameters (the one parameter that may repeat).
     */
    @WithTransaction
    public Uni<Begin> begin(Map<String, String> p, List<String> resources, String browserValue) {
        String clientId = p.get("client_id");
        String redirectUri = p.get("redirect_uri");
        return clients.find(clientId).flatMap(found -> {
            if (found.isEmpty()) {
                return item(new Refused("invalid_client", "Unknown client_id"));
            }
            Client client = found.get();
            if (redirectUri == null || !client.allowsRedirect(redirectUri)) {
                return item(new Refused("invalid_redirect_uri", "The redirect_uri is not registered for this client"));
            }
            RedirectBack refusal = refusal(p, redirectUri);
            if (refusal == null) {
                String why = ResourceIndicators.requestRefusal(resources, client.resources());
                refusal = why == null ? null : back(redirectUri, "invalid_target", why, p.get("state"));
            }
            if (refusal != null) {
                return item(refusal);
            }
            AuthorizationRequest r = new AuthorizationRequest();
            r.id = Secrets.randomBase62(32);
            r.browserHash = Secrets.sha256Hex(browserValue);
            r.clientId = client.id();
            r.redirectUri = redirectUri;
            r.scopes = String.join(" ", OAuthScopes.parse(p.get("scope")));
            r.resources = ResourceIndicators.join(resources.stream().distinct().toList());
            r.state = p.get("state");
            r.nonce = p.get("nonce");
            r.codeChallenge = p.get("code_challenge");
            r.host = printable(p.get("host"));
            r.createdAt = SessionService.now();
            r.expiresAt = r.createdAt.plus(oauth.requestTtl());
            return requests.persist(r).map(saved -> (Begin) new Started(saved, client));
        });
    }

    /** What is wrong with a request of a known client and redirect URI, answered at that URI; null when nothing. */
    private RedirectBack refusal(Map<String, String> p, String redirectUri) {
        String state = p.get("state");
        if (p.containsKey("\0repeated")) {
            return back(redirectUri, "invalid_request", "A parameter was sent more than once", state);
        }
        if (!"code".equals(p.get("response_type"))) {
            return back(redirectUri, "unsupported_response_type", "Only response_type=code is supported", state);
        }
        String challenge = p.get("code_challenge");
        if (challenge == null) {
            return back(redirectUri, "invalid_request", "PKCE is required: send code_challenge with "
                    + "code_challenge_method=S256", state);
        }
        if (!Pkce.S256.equals(p.get("code_challenge_method"))) {
            return back(redirectUri, "invalid_request", "code_challenge_method must be S256 (plain is not "
                    + "accepted)", state);
        }
        if (!Pkce.validChallenge(challenge)) {
            return back(redirectUri, "invalid_request", "code_challenge is not a base64url SHA-256", state);
        }
        List<String> scopes = OAuthScopes.parse(p.get("scope"));
        if (scopes == null) {
            return back(redirectUri, "invalid_scope", "Supported scopes: " + String.join(" ", OAuthScopes.SUPPORTED),
                    state);
        }
        if (tooLong(state) || tooLong(p.get("nonce")) || tooLong(p.get("host"))) {
            return back(redirectUri, "invalid_request", "state, nonce and host are limited to " + MAX_PARAM
                    + " characters", state);
        }
        String prompt = Prompt.refusal(p.get("prompt"), p.get("max_age"));
        if (prompt != null) {
            return back(redirectUri, "invalid_request", prompt, state);
        }
        return null;
    }

    /** The request, if it exists, has not expired and belongs to this browser; else 400 invalid_request. */
    public Uni<AuthorizationRequest> load(String id, String browserValue) {
        if (id == null || id.length() != 32 || browserValue == null) {
            return Uni.createFrom().failure(expiredRequest());
        }
        return requests.findById(id).map(r -> {
            if (r == null || !SessionService.now().isBefore(r.expiresAt)
                    || !Secrets.constantTimeEquals(r.browserHash, Secrets.sha256Hex(browserValue))) {
                throw expiredRequest();
            }
            return r;
        });
    }

    /** Records who signed in for this request (password or upstream provider). */
    @WithTransaction
    public Uni<Void> signedIn(String requestId, UUID userId, UUID sessionId, OffsetDateTime authTime) {
        return requests.update("userId = ?1, sessionId = ?2, authTime = ?3, organizationId = null, "
                + "upstreamStateHash = null, upstreamVerifier = null, upstreamNonce = null where id = ?4", userId,
                sessionId, authTime, requestId).replaceWithVoid();
    }

    /** Records the organization picked on the page (its membership already checked). */
    @WithTransaction
    public Uni<Void> organizationChosen(String requestId, UUID organizationId) {
        return requests.update("organizationId = ?1 where id = ?2", organizationId, requestId).replaceWithVoid();
    }

    /** Requests and codes past their lifetime are removed; codes an hour later (a replay is still recognised). */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return purge.expired(SessionService.now())
                .onFailure().invoke(e -> Log.warnf("expired authorization requests not purged: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    static ApiException expiredRequest() {
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
        return new RedirectBack(responses.error(redirectUri, error, description, state));
    }

    private static <T> Uni<T> item(T value) {
        return Uni.createFrom().item(value);
    }
}
