package dev.latchkey.apikey.service;

import static dev.latchkey.apikey.service.KeyRequestRules.checkExpiry;
import static dev.latchkey.apikey.service.KeyRequestRules.checkScopes;
import static dev.latchkey.apikey.service.KeyRequestRules.creator;
import static dev.latchkey.apikey.service.KeyRequestRules.describe;
import static dev.latchkey.apikey.service.KeyRequestRules.exceedsNot;
import static dev.latchkey.apikey.service.KeyRequestRules.grantable;
import static dev.latchkey.apikey.service.KeyRequestRules.granted;
import static dev.latchkey.apikey.service.KeyRequestRules.instant;
import static dev.latchkey.apikey.service.KeyRequestRules.offset;
import static dev.latchkey.apikey.service.KeyRequestRules.parseId;
import static dev.latchkey.apikey.service.KeyRequestRules.parseIdOrNull;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.apikey.config.ApiKeyConfig;
import dev.latchkey.apikey.domain.ApiKey;
import dev.latchkey.apikey.domain.ApiKey.Creator;
import dev.latchkey.apikey.domain.AuditEvent;
import dev.latchkey.apikey.domain.AuditEvent.Origin;
import dev.latchkey.apikey.repository.AuditOutboxRepository;
import dev.latchkey.apikey.repository.KeyVerificationStore;
import dev.latchkey.apikey.repository.KeyVerificationStore.NewRow;
import dev.latchkey.apikey.repository.PageCursor;
import dev.latchkey.apikey.secret.ApiKeySecrets;
import dev.latchkey.apikey.secret.ApiKeySecrets.NewKey;
import dev.latchkey.apikey.secret.KeyGrant;
import dev.latchkey.apikey.secret.KeyHasher;
import dev.latchkey.apikey.secret.VerificationStatus;
import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.auth.Authz;
import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.auth.Revocations;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.Permissions;
import dev.latchkey.common.rbac.ResourceScope;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The lifecycle of API keys inside an organization, authorized the same way in every service ({@link Authz}):
 * owners and admins (and {@code read_write} organization-wide keys, which act as admins) manage every key; members
 * read every key and manage the keys they created; a key never exceeds its creator ({@link KeyGrant}). Each
 * change is written together with its audit event (outbox), and each revocation is announced on Redis after it
 * is committed.
 */
@ApplicationScoped
public class ApiKeyService {

    private final Pool pool;
    private final KeyVerificationStore keys;
    private final KeyPrefixes prefixes;
    private final AuditOutboxRepository outbox;
    private final AuditDelivery delivery;
    private final RevocationAnnouncer announcer;
    private final Revocations revocations;
    private final KeyHasher hasher;
    private final ApiKeyConfig config;
    private final RateLimit defaultLimit;

    public ApiKeyService(Pool pool, KeyVerificationStore keys, KeyPrefixes prefixes, AuditOutboxRepository outbox,
            AuditDelivery delivery, RevocationAnnouncer announcer, Revocations revocations, KeyHasher hasher,
            ApiKeyConfig config, AuthConfig auth) {
        this.pool = pool;
        this.keys = keys;
        this.prefixes = prefixes;
        this.outbox = outbox;
        this.delivery = delivery;
        this.announcer = announcer;
        this.revocations = revocations;
        this.hasher = hasher;
        this.config = config;
        AuthConfig.RateLimitDefaults defaults = auth.defaultRateLimit();
        this.defaultLimit = defaults.perMinute() > 0
                ? new RateLimit(defaults.perMinute(), defaults.burst() > 0 ? defaults.burst() : defaults.perMinute())
                : null;
    }

    /** A created key: the stored row plus the plaintext, which is returned this once and never again. */
    public record Created(ApiKey key, String plaintext, ApiKey previous) {
        @Override
        public String toString() {
            return "Created[id=" + key.id() + "]";
        }
    }

    /** What a request asks a new key to be; null fields default to what the creator holds. */
    public record KeyRequest(String name, Capability capability, ResourceScope resourceScope, RateLimit rateLimit,
            List<String> scopes, OffsetDateTime expiresAt) {
    }

    public record Page(List<ApiKey> keys, String nextCursor) {
    }

    // ---------------------------------------------------------------- create

    /** {@code POST /v1/api-keys}: a key of the caller's organization, never exceeding the caller. */
    public Uni<Created> create(VerifiedToken caller, KeyRequest request, Origin origin) {
        UUID organization = UUID.fromString(Authz.require(caller, Action.API_KEYS_CREATE));
        List<String> scopes = checkScopes(request.scopes());
        grantable(caller, scopes);
        checkExpiry(request.expiresAt());
        return holdings(caller, organization).flatMap(holds -> {
            KeyGrant.Settings granted = granted(holds, new KeyGrant.Settings(request.capability(),
                    request.resourceScope(), request.rateLimit(), instant(request.expiresAt())));
            Creator creator = creator(caller);
            return prefixes.of(organization).flatMap(prefix -> insert(organization, request.name(), prefix, granted, scopes,
                    creator, null, AuditEvent.actor(caller), origin));
        });
    }

    /**
     * {@code POST /internal/v1/keys}: a key made by a Latchkey service (tenant-service's first key of a new
     * organization). Services are trusted with any settings; {@code createdBy} names the person it is for.
     */
    public Uni<Created> createForService(VerifiedToken service, UUID organization, KeyRequest request, String createdBy,
            Origin origin) {
        List<String> scopes = checkScopes(request.scopes());
        checkExpiry(request.expiresAt());
        KeyGrant.Settings settings = new KeyGrant.Settings(
                request.capability() == null ? Capability.READ_WRITE : request.capability(),
                request.resourceScope() == null ? ResourceScope.ORGANIZATION : request.resourceScope(),
                request.rateLimit(), instant(request.expiresAt()));
        Creator creator = createdBy != null ? new Creator(Creator.Type.USER, createdBy)
                : new Creator(Creator.Type.SERVICE, service.getSubject());
        return prefixes.of(organization).flatMap(prefix -> insert(organization, request.name(), prefix, settings, scopes,
                creator, null, AuditEvent.actor(service), origin));
    }

    private Uni<Created> insert(UUID organization, String name, String prefix, KeyGrant.Settings settings,
            List<String> scopes, Creator creator, ApiKey previous, JsonObject actor, Origin origin) {
        NewKey key = ApiKeySecrets.generate(prefix);
        NewRow row = new NewRow(organization, name, key.prefix(), key.start(), key.lastFour(), hasher.hash(key.plaintext()),
                hasher.currentScheme(), settings.capability(), settings.scope(), settings.rateLimit(), scopes, creator,
                offset(settings.expiresAt()), null);
        return pool.withTransaction(c -> keys.insert(c, row).call(stored -> outbox.add(c, organization,
                AuditEvent.of(organization, actor, AuditEvent.CREATED, stored, describe(stored), origin))))
                .invoke(delivery::kick)
                .map(stored -> new Created(stored, key.plaintext(), previous));
    }

    // ---------------------------------------------------------------- read

    public Uni<Page> list(VerifiedToken caller, String cursor, Integer limit, boolean includeRevoked) {
        UUID organization = UUID.fromString(Authz.require(caller, Action.API_KEYS_READ));
        int size = limit == null ? config.defaultPageSize() : limit;
        if (size < 1 || size > config.maxPageSize()) {
            throw ApiException.validation("'limit' must be between 1 and " + config.maxPageSize());
        }
        PageCursor after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = PageCursor.decode(cursor);
            if (after == null) {
                throw ApiException.validation("'cursor' is not a cursor this API returned");
            }
        }
        return keys.page(organization, after, size + 1, includeRevoked).map(found -> {
            if (found.size() <= size) {
                return new Page(found, null);
            }
            List<ApiKey> page = found.subList(0, size);
            ApiKey last = page.get(size - 1);
            return new Page(List.copyOf(page), new PageCursor(last.createdAt(), last.id()).encode());
        });
    }

    public Uni<ApiKey> get(VerifiedToken caller, String id) {
        UUID organization = UUID.fromString(Authz.require(caller, Action.API_KEYS_READ));
        UUID key = parseId(id);
        return keys.find(organization, key).map(found -> found.orElseThrow(KeyRequestRules::notFound));
    }

    // ---------------------------------------------------------------- change

    public Uni<ApiKey> rename(VerifiedToken caller, String id, String name, Origin origin) {
        Uni<ApiKey> renamed = pool.withTransaction(c -> manageable(c, caller, id).flatMap(key -> {
            if (key.name().equals(name)) {
                return Uni.createFrom().item(key);
            }
            return keys.rename(c, key.id(), name).call(after -> outbox.add(c, key.organizationId(),
                    AuditEvent.of(key.organizationId(), AuditEvent.actor(caller), AuditEvent.RENAMED, after,
                            Map.of("previous_name", key.name()), origin)));
        }));
        // The name is part of every cached verdict: let the caches learn the new one.
        return renamed.invoke(delivery::kick).call(key -> publishChanged(key.id()));
    }

    /** Revokes the key now (also one still inside a rotation grace); revoking a revoked key changes nothing. */
    public Uni<ApiKey> revoke(VerifiedToken caller, String id, Origin origin) {
        return pool.withTransaction(c -> revocable(c, caller, id).flatMap(key -> {
            if (key.status(Instant.now()) == VerificationStatus.REVOKED) {
                return Uni.createFrom().item(key);
            }
            return keys.revoke(c, key.id(), OffsetDateTime.now(ZoneOffset.UTC), null)
                    .call(after -> outbox.add(c, key.organizationId(), AuditEvent.of(key.organizationId(),
                            AuditEvent.actor(caller), AuditEvent.REVOKED, after, Map.of(), origin)));
        })).invoke(delivery::kick).call(key -> announceIfDue(key));
    }

    /**
     * A new key with the settings of key {@code id} (under the organization's current prefix); the old key keeps
     * working for {@code grace} (never past its own expiry; zero revokes it at once).
     */
    public Uni<Created> rotate(VerifiedToken caller, String id, Duration grace, Origin origin) {
        if (grace.isNegative() || grace.compareTo(config.maxRotationGrace()) > 0) {
            throw ApiException.validation("'grace_period_seconds' must be between 0 and "
                    + config.maxRotationGrace().toSeconds());
        }
        UUID organization = UUID.fromString(Authz.require(caller, Action.API_KEYS_READ));
        return Uni.combine().all().unis(holdings(caller, organization), prefixes.of(organization)).asTuple()
                .flatMap(both -> pool.withTransaction(c -> manageable(c, caller, id).flatMap(old -> {
                    Instant now = Instant.now();
                    switch (old.status(now)) {
                        case REVOKED -> throw new ApiException(409, "api_key_revoked", "This API key is revoked");
                        case EXPIRED -> throw new ApiException(409, "api_key_expired", "This API key has expired");
                        default -> {
                        }
                    }
                    if (old.rotatedTo() != null || old.revokedAt() != null) {
                        throw new ApiException(409, "api_key_already_rotated",
                                "This API key was rotated already; rotate its successor " + old.rotatedTo());
                    }
                    KeyGrant.Settings settings = new KeyGrant.Settings(old.capability(), old.resourceScope(),
                            old.rateLimit(), instant(old.expiresAt()));
                    exceedsNot(KeyGrant.covers(both.getItem1(), settings));
                    // The new key carries the old one's scopes: granted anew by whoever rotates it.
                    grantable(caller, old.scopes());
                    NewKey key = ApiKeySecrets.generate(both.getItem2());
                    NewRow row = new NewRow(old.organizationId(), old.name(), key.prefix(), key.start(), key.lastFour(),
                            hasher.hash(key.plaintext()), hasher.currentScheme(), old.capability(), old.resourceScope(),
                            old.rateLimit(), old.scopes(), old.createdBy(), old.expiresAt(), old.id());
                    Instant graceEnd = now.plus(grace);
                    Instant end = old.expiresAt() != null && old.expiresAt().toInstant().isBefore(graceEnd)
                            ? old.expiresAt().toInstant() : graceEnd;
                    return keys.insert(c, row).flatMap(fresh -> keys.revoke(c, old.id(), offset(end), fresh.id())
                            .call(previous -> {
                                Map<String, Object> metadata = new LinkedHashMap<>();
                                metadata.put("new_key_id", fresh.id().toString());
                                metadata.put("new_key_start", fresh.start());
                                metadata.put("grace_period_seconds", Duration.between(now, end).toSeconds());
                                metadata.put("previous_key_revoked_at", end.toString());
                                return outbox.add(c, old.organizationId(), AuditEvent.of(old.organizationId(),
                                        AuditEvent.actor(caller), AuditEvent.ROTATED, previous, metadata, origin));
                            })
                            .map(previous -> new Created(fresh, key.plaintext(), previous)));
                })))
                .invoke(delivery::kick)
                .call(created -> announceIfDue(created.previous()));
    }

    /** {@code POST /internal/v1/organizations/{id}/keys/revoke}: every key of a deleted organization, at once. */
    public Uni<Integer> revokeAll(VerifiedToken service, UUID organization, Origin origin) {
        return pool.withTransaction(c -> keys.revokeAll(c, organization).call(revoked -> {
            Uni<Void> audited = Uni.createFrom().voidItem();
            for (ApiKey key : revoked) {
                audited = audited.chain(() -> outbox.add(c, organization, AuditEvent.of(organization,
                        AuditEvent.actor(service), AuditEvent.REVOKED, key, Map.of("reason", "organization_deleted"),
                        origin)));
            }
            return audited;
        })).invoke(delivery::kick).call(revoked -> {
            List<Uni<Void>> announced = new ArrayList<>();
            revoked.forEach(key -> announced.add(announcer.announce(key.id(), key.revokedAt())));
            return announced.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(announced).andCollectFailures()
                    .replaceWithVoid();
        }).map(List::size);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The key {@code id} of the caller's organization, locked, if the caller may manage it: 403
     * {@code scope_insufficient} for a read or narrowly scoped key (whether or not the key exists), 404 for a key
     * that does not exist or belongs to another organization, 403 {@code access_denied} for a member and a key
     * someone else created.
     */
    private Uni<ApiKey> manageable(SqlConnection c, VerifiedToken caller, String id) {
        UUID organization = UUID.fromString(Authz.require(caller, Action.API_KEYS_READ));
        Permissions.Decision decision = Permissions.decide(caller.roles(), caller.capability(), caller.resourceScope(),
                Action.API_KEYS_MANAGE);
        if (decision == Permissions.Decision.SCOPE_INSUFFICIENT) {
            throw Authz.scopeInsufficient(caller, Action.API_KEYS_MANAGE);
        }
        UUID keyId = parseId(id);
        return keys.find(c, organization, keyId, true).map(found -> {
            ApiKey key = found.orElseThrow(KeyRequestRules::notFound);
            if (decision == Permissions.Decision.ALLOWED || createdBy(key, caller)) {
                return key;
            }
            throw ApiException.accessDenied("Your role may manage only the API keys you created");
        });
    }

    /**
     * Like {@link #manageable}, except that any key may revoke itself (presented, or through a token exchanged from
     * it), whatever its capability: giving up one's own access never widens it (RFC 7009 lets a token's holder
     * revoke it likewise). This is how {@code latchkey logout} revokes a read-only key.
     */
    private Uni<ApiKey> revocable(SqlConnection c, VerifiedToken caller, String id) {
        if (caller.kind() == VerifiedToken.Kind.API_KEY && caller.keyId() != null && caller.keyId().equals(id)) {
            UUID organization = UUID.fromString(caller.tenantId());
            return keys.find(c, organization, parseId(id), true).map(found -> found.orElseThrow(KeyRequestRules::notFound));
        }
        return manageable(c, caller, id);
    }

    private static boolean createdBy(ApiKey key, VerifiedToken caller) {
        return caller.kind() == VerifiedToken.Kind.USER && key.createdBy() != null
                && key.createdBy().type() == Creator.Type.USER && key.createdBy().id().equals(caller.userId());
    }

    /** What the caller holds: a person by role; a key (presented or exchanged) by its stored settings. */
    private Uni<KeyGrant.Settings> holdings(VerifiedToken caller, UUID organization) {
        if (caller.kind() != VerifiedToken.Kind.API_KEY) {
            return Uni.createFrom().item(KeyGrant.person(Authz.allowed(caller, Action.API_KEYS_MANAGE)));
        }
        UUID keyId = parseIdOrNull(caller.keyId());
        if (keyId == null) {
            throw ApiException.accessDenied("The API key behind this token is unknown");
        }
        return keys.find(organization, keyId).map(found -> {
            ApiKey own = found.filter(k -> k.status(Instant.now()).valid()).orElseThrow(
                    () -> ApiException.accessDenied("The API key behind this token no longer works"));
            return new KeyGrant.Settings(own.capability(), own.resourceScope(),
                    own.rateLimit() != null ? own.rateLimit() : defaultLimit, own.end());
        });
    }





    private Uni<Void> announceIfDue(ApiKey key) {
        if (key.revokedAt() != null && !key.revokedAt().toInstant().isAfter(Instant.now())) {
            return announcer.announce(key.id(), key.revokedAt());
        }
        // A revocation scheduled for later (rotation grace): caches learn the key's new end now; the end itself is
        // announced by RevocationAnnouncer when it comes.
        return publishChanged(key.id());
    }

    private Uni<Void> publishChanged(UUID keyId) {
        return revocations.publishKeyChanged(keyId.toString(), 0).onFailure().recoverWithUni(e -> {
            Log.warnf("change of key %s not announced (%s); caches keep the old verdict at most %s", keyId, e.toString(),
                    "latchkey.auth.api-key-cache-ttl");
            return Uni.createFrom().voidItem();
        });
    }
}
