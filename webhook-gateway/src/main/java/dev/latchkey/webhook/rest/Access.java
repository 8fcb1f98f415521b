package dev.latchkey.webhook.rest;

import java.util.UUID;

import jakarta.inject.Singleton;

import dev.latchkey.common.auth.ApiKeys;
import dev.latchkey.common.auth.Authz;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Action;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may do what at the gateway: the shared permission table (latchkey-common's {@link Action}: owners and
 * admins manage providers, members read events; keys by their capability) and the shared API-key mechanism,
 * which here alone also takes {@code ?apiKey=} for senders that cannot set headers.
 */
@Singleton
public class Access {

    public enum Permission {
        PROVIDERS_READ(Action.WEBHOOK_PROVIDERS_READ),
        PROVIDERS_MANAGE(Action.WEBHOOK_PROVIDERS_MANAGE),
        EVENTS_READ(Action.WEBHOOK_EVENTS_READ),
        EVENTS_ACK(Action.WEBHOOK_EVENTS_ACK);

        final Action action;

        Permission(Action action) {
            this.action = action;
        }
    }

    private final ApiKeys apiKeys;

    public Access(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** The caller's organization if it may do {@code permission}: 401 without a caller, 403 otherwise. */
    public UUID organization(VerifiedToken caller, Permission permission) {
        String organization = Authz.require(caller, permission.action);
        try {
            return UUID.fromString(organization);
        } catch (IllegalArgumentException e) {
            throw ApiException.accessDenied("The token's organization is not valid");
        }
    }

    /**
     * The organization of the API key presented with a delivery ({@code Authorization: Bearer}, {@code X-API-Key}
     * or a configured alias header such as {@code X-MAO-API-Key}, or {@code ?apiKey=}); 401 {@code invalid_api_key}
     * (or {@code api_key_revoked}, {@code api_key_expired}) without a valid one, 429 over the key's limit.
     */
    public Uni<UUID> apiKeyOrganization(HttpServerRequest request) {
        String key = apiKeys.presented(request, true);
        if (key == null) {
            return Uni.createFrom().failure(new ApiException(401, "invalid_api_key",
                    "This webhook endpoint needs the organization's API key"));
        }
        return apiKeys.authenticate(key).map(authenticated -> UUID.fromString(authenticated.caller().tenantId()));
    }
}
