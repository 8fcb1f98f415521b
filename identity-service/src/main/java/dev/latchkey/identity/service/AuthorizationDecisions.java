package dev.latchkey.identity.service;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.config.OAuthConfig;
import dev.latchkey.identity.domain.AuthorizationCode;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.domain.ChosenOrganization;
import dev.latchkey.identity.domain.DeviceAuthorization;
import dev.latchkey.identity.oauth.AuthorizationCodes;
import dev.latchkey.identity.oauth.AuthorizationResponses;
import dev.latchkey.identity.repository.AuthorizationCodeRepository;
import dev.latchkey.identity.repository.AuthorizationRequestRepository;
import dev.latchkey.identity.repository.DeviceAuthorizationRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * What a decided authorization request leaves behind, written with the request's removal in one transaction: on
 * approval a single-use code bound to client, redirect URI and PKCE challenge (or, for a device, its approval); on
 * denial nothing but the client's access_denied (or the device's denial). Each answers where the browser goes.
 */
@ApplicationScoped
public class AuthorizationDecisions {

    private final AuthorizationCodeRepository codes;
    private final AuthorizationRequestRepository requests;
    private final DeviceAuthorizationRepository devices;
    private final OAuthConfig oauth;
    private final AuthorizationResponses responses;
    private final String deviceDone;

    public AuthorizationDecisions(AuthorizationCodeRepository codes, AuthorizationRequestRepository requests,
            DeviceAuthorizationRepository devices, OAuthConfig oauth, IdentityConfig config) {
        this.codes = codes;
        this.requests = requests;
        this.devices = devices;
        this.oauth = oauth;
        this.responses = new AuthorizationResponses(config.issuer());
        this.deviceDone = AuthorizationRequests.deviceDone(config);
    }

    /** The person allowed the client (or the client skips consent): a code, and the redirect carrying it. */
    @WithTransaction
    public Uni<String> approve(AuthorizationRequest r, OrganizationRole organization) {
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
        row.resources = r.resources;
        row.nonce = r.nonce;
        row.authTime = r.authTime == null ? SessionService.now() : r.authTime;
        row.createdAt = SessionService.now();
        row.expiresAt = row.createdAt.plus(oauth.codeTtl());
        return codes.persist(row).flatMap(saved -> requests.deleteById(r.id))
                .replaceWith(responses.code(r.redirectUri, code, r.state));
    }

    /** The device waiting for this request may now collect its tokens (RFC 8628 §3.5). */
    private Uni<String> approveDevice(AuthorizationRequest r, OrganizationRole organization) {
        OffsetDateTime now = SessionService.now();
        return devices.findById(r.deviceCodeHash, LockModeType.PESSIMISTIC_WRITE).flatMap(device -> {
            if (device == null || !DeviceAuthorization.PENDING.equals(device.status)
                    || !now.isBefore(device.expiresAt)) {
                return requests.deleteById(r.id).replaceWith(deviceDone + "?error=expired_token");
            }
            device.status = DeviceAuthorization.APPROVED;
            device.userId = r.userId;
            device.authTime = r.authTime == null ? now : r.authTime;
            device.organization = ChosenOrganization.of(organization);
            return requests.deleteById(r.id).replaceWith(deviceDone);
        });
    }

    /** The request ends unanswered by the person ({@code prompt=none}): the client hears {@code error}. */
    @WithTransaction
    public Uni<String> refuse(AuthorizationRequest r, String error, String description) {
        return requests.deleteById(r.id).replaceWith(responses.error(r.redirectUri, error, description, r.state));
    }

    /** The person denied: the request ends and the client (or the device) hears access_denied. */
    @WithTransaction
    public Uni<String> deny(AuthorizationRequest r) {
        if (r.deviceCodeHash != null) {
            return devices.update("status = ?1 where deviceCodeHash = ?2 and status = ?3", DeviceAuthorization.DENIED,
                    r.deviceCodeHash, DeviceAuthorization.PENDING)
                    .flatMap(n -> requests.deleteById(r.id))
                    .replaceWith(deviceDone + "?error=access_denied");
        }
        return requests.deleteById(r.id)
                .replaceWith(responses.error(r.redirectUri, "access_denied", "The person denied the request", r.state));
    }
}
