package dev.latchkey.apikey.service;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.apikey.config.ApiKeyConfig;
import dev.latchkey.apikey.domain.AuditEvent;
import dev.latchkey.apikey.domain.AuditEvent.Origin;
import dev.latchkey.apikey.repository.AuditOutboxRepository;
import dev.latchkey.apikey.repository.KeyVerificationStore;
import dev.latchkey.common.auth.ApiKeyFormat;
import dev.latchkey.common.auth.Authz;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Action;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** An organization's own key prefix ({@code mao_key}, {@code nsk} ...), which its new keys start with. */
@ApplicationScoped
public class KeyPrefixes {

    private final Pool pool;
    private final KeyVerificationStore store;
    private final AuditOutboxRepository outbox;
    private final AuditDelivery delivery;
    private final ApiKeyConfig config;

    public KeyPrefixes(Pool pool, KeyVerificationStore store, AuditOutboxRepository outbox, AuditDelivery delivery,
            ApiKeyConfig config) {
        this.pool = pool;
        this.store = store;
        this.outbox = outbox;
        this.delivery = delivery;
        this.config = config;
    }

    /** The prefix new keys of the caller's organization get. */
    public Uni<String> prefix(VerifiedToken caller) {
        return of(UUID.fromString(Authz.require(caller, Action.API_KEYS_READ)));
    }

    public Uni<String> setPrefix(VerifiedToken caller, String prefix, Origin origin) {
        UUID organization = UUID.fromString(Authz.require(caller, Action.API_KEYS_MANAGE));
        if (prefix == null || !ApiKeyFormat.PREFIX.matcher(prefix).matches()) {
            throw ApiException.validation("'prefix' must be a lower-case letter followed by up to 19 lower-case"
                    + " letters, digits or underscores");
        }
        return of(organization).flatMap(before -> pool.withTransaction(c -> store.setPrefix(c, organization,
                prefix).chain(() -> outbox.add(c, organization, AuditEvent.of(organization, AuditEvent.actor(caller),
                        AuditEvent.SETTINGS_UPDATED, null, Map.of("prefix", prefix, "previous_prefix", before),
                        origin))))
                .invoke(delivery::kick)
                .replaceWith(prefix));
    }

    /** The organization's own prefix, else the configured default. */
    Uni<String> of(UUID organization) {
        return store.prefix(organization).map(own -> own.orElse(config.defaultPrefix()));
    }
}
