package dev.latchkey.identity.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.ChosenOrganization;
import dev.latchkey.identity.domain.DeviceAuthorization;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.oauth.UserCodes;
import dev.latchkey.identity.repository.DeviceAuthorizationRepository;
import dev.latchkey.identity.service.AuthorizationService.Granted;
import dev.latchkey.identity.service.ClientRegistry.Client;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The device authorization grant (RFC 8628), for a CLI on a machine without a browser: the device asks for a
 * device code and a user code, a person enters the user code on {@code /v1/oauth/device} (any browser) and goes
 * through the usual pages (sign-in, organization, consent naming the host the device says it runs on), while the
 * device polls the token endpoint. The approval is a row in PostgreSQL, so any replica answers any poll.
 */
@ApplicationScoped
public class DeviceAuthorizations {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    static final Duration LIFETIME = Duration.ofMinutes(10);
    static final int INTERVAL_SECONDS = 5;

    /** The answer of the device authorization endpoint (RFC 8628 §3.2). */
    public record Started(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
            long expiresIn, int interval) {
        @Override
        public String toString() {
            return "Started[" + userCode + "]";
        }
    }

    private final DeviceAuthorizationRepository devices;
    private final ClientSessions clientSessions;
    private final LoginLimiter limiter;
    private final String verificationUri;

    public DeviceAuthorizations(DeviceAuthorizationRepository devices, ClientSessions clientSessions,
            LoginLimiter limiter, IdentityConfig config) {
        this.devices = devices;
        this.clientSessions = clientSessions;
        this.limiter = limiter;
        this.verificationUri = config.publicUrl().replaceAll("/+$", "") + "/v1/oauth/device";
    }

    @WithTransaction
    public Uni<Started> start(Client client, String scope, String host) {
        List<String> scopes = OAuthScopes.parse(scope);
        if (scopes == null) {
            return Uni.createFrom().failure(new OAuthProblem(400, "invalid_scope",
                    "Supported scopes: " + String.join(" ", OAuthScopes.SUPPORTED)));
        }
        String deviceCode = UserCodes.newDeviceCode();
        DeviceAuthorization d = new DeviceAuthorization();
        d.deviceCodeHash = UserCodes.hash(deviceCode);
        d.userCode = UserCodes.generate();
        d.clientId = client.id();
        d.scopes = String.join(" ", scopes);
        d.host = AuthorizationRequests.printable(host);
        d.status = DeviceAuthorization.PENDING;
        d.intervalSeconds = INTERVAL_SECONDS;
        d.createdAt = SessionService.now();
        d.expiresAt = d.createdAt.plus(LIFETIME);
        String shown = UserCodes.display(d.userCode);
        return devices.persist(d)
                .map(saved -> new Started(deviceCode, shown, verificationUri, verificationUri + "?user_code=" + shown,
                        LIFETIME.toSeconds(), INTERVAL_SECONDS));
    }

    /**
     * The pending, unexpired device a person's user code belongs to; 400 invalid_user_code otherwise. Wrong codes
     * are counted per client address (429 rate_limited past the limit, the right code included), since the pages
     * that follow a right code are the only other bound on guessing (§5.1).
     */
    @WithSession
    public Uni<DeviceAuthorization> byUserCode(String typed, String address) {
        return limiter.reserveUserCode(address).flatMap(reserved -> {
            String code = UserCodes.normalise(typed);
            if (code == null) {
                return Uni.createFrom().failure(invalidUserCode());
            }
            return devices.find("userCode", code).<DeviceAuthorization>firstResult().map(d -> {
                if (d == null || !DeviceAuthorization.PENDING.equals(d.status)
                        || !SessionService.now().isBefore(d.expiresAt)) {
                    throw invalidUserCode();
                }
                return d;
            });
        }).call(found -> limiter.userCodeMatched(address));
    }

    /**
     * A device polls (RFC 8628 §3.4–3.5): authorization_pending while the person has not decided, slow_down (and
     * a 5 s longer interval) when polled faster than the interval, access_denied, expired_token, or the tokens,
     * once; the device code is then used up.
     */
    public Uni<Granted> poll(Client client, String deviceCode, String userAgent, String address) {
        if (!UserCodes.wellFormedDeviceCode(deviceCode)) {
            return Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_device_code",
                    "The device code is not valid"));
        }
        OffsetDateTime now = SessionService.now();
        // Written by hand: the poll's new interval and time must commit even when its answer is an error, which
        // would roll back the transaction of an annotated method.
        return Panache.withTransaction(() -> devices.findById(UserCodes.hash(deviceCode), LockModeType.PESSIMISTIC_WRITE)
                .map(d -> {
                    if (d == null || !d.clientId.equals(client.id())) {
                        throw OAuthProblem.invalidGrant("invalid_device_code", "The device code is not valid");
                    }
                    if (!now.isBefore(d.expiresAt)) {
                        throw new OAuthProblem(400, "expired_token", "The device code has expired; start again");
                    }
                    switch (d.status) {
                        case DeviceAuthorization.DENIED -> throw new OAuthProblem(400, "access_denied",
                                "The person denied the request");
                        case DeviceAuthorization.USED -> throw OAuthProblem.invalidGrant("device_code_used",
                                "The device code was already exchanged");
                        case DeviceAuthorization.PENDING -> {
                            boolean tooFast = d.lastPolledAt != null
                                    && now.isBefore(d.lastPolledAt.plusSeconds(d.intervalSeconds));
                            d.lastPolledAt = now;
                            if (tooFast) {
                                d.intervalSeconds += 5;
                                return new Poll(null, new OAuthProblem(400, "slow_down",
                                        "Polling too fast: wait " + d.intervalSeconds + " s between requests"));
                            }
                            return new Poll(null, new OAuthProblem(400, "authorization_pending",
                                    "The person has not finished signing in yet"));
                        }
                        default -> {
                            d.status = DeviceAuthorization.USED;
                            return new Poll(d, null);
                        }
                    }
                }))
                .flatMap(poll -> {
                    if (poll.problem() != null) {
                        return Uni.createFrom().<Granted>failure(poll.problem());
                    }
                    DeviceAuthorization d = poll.device();
                    OrganizationRole organization = ChosenOrganization.role(d.organization);
                    return clientSessions.start(client, new ClientSessions.Granting(d.userId, organization, d.scopes,
                            null, null, d.authTime), null, userAgent, address);
                });
    }

    private record Poll(DeviceAuthorization device, OAuthProblem problem) {
    }

    private static ApiException invalidUserCode() {
        return new ApiException(400, "invalid_user_code",
                "This code is not valid or has expired; check it on the device, or start again there");
    }
}
