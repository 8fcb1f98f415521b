package dev.latchkey.webhook.service;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.webhook.domain.Provider;
import dev.latchkey.webhook.domain.ProviderSecret;
import dev.latchkey.webhook.repository.IngestionProviders;
import dev.latchkey.webhook.signature.HeaderNames;
import dev.latchkey.webhook.signature.Scheme;
import dev.latchkey.webhook.signature.SigningSecrets;
import io.smallrye.mutiny.Uni;

/** Providers of one organization: create, read, delete, and roll their signing secrets without a gap. */
@ApplicationScoped
public class ProviderService {

    /** How long the previous secrets stay valid after a rotation when the caller does not say. */
    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    static final Duration MAX_OVERLAP = Duration.ofDays(30);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final List<String> RESERVED_HEADERS = List.of("authorization", "x-api-key", "cookie", "host",
            "content-length", "content-type");

    private final IngestionProviders repository;
    private final SecretSealer sealer;
    private final ProviderCache cache;
    private final ProviderAudit audit;
    private final Clock clock;

    public ProviderService(IngestionProviders repository, SecretSealer sealer, ProviderCache cache, ProviderAudit audit) {
        this.repository = repository;
        this.sealer = sealer;
        this.cache = cache;
        this.audit = audit;
        this.clock = Clock.systemUTC();
    }

    public record NewProvider(String name, String scheme, String secret, Boolean requireApiKey, Map<String, String> headers) {
        @Override
        public String toString() {
            return "NewProvider[name=" + name + ", scheme=" + scheme + "]";
        }
    }

    /** A provider with its secrets' metadata; {@code secret} is set only right after it was created or rolled. */
    public record ProviderDetails(Provider provider, List<ProviderSecret> secrets, String secret) {
        @Override
        public String toString() {
            return "ProviderDetails[" + provider.id() + "]";
        }
    }

    public Uni<ProviderDetails> create(UUID organizationId, NewProvider request, ProviderAudit.Origin origin) {
        String name = request.name() == null ? "" : request.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw ApiException.validation("'name' must be 1 to 63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }
        Scheme scheme = Scheme.parse(request.scheme());
        if (scheme == null) {
            throw ApiException.validation("'scheme' must be one of github, stripe, standard, svix, generic");
        }
        HeaderNames names = headerNames(scheme, request.headers());
        String secret = request.secret() == null ? SigningSecrets.generate(scheme) : request.secret();
        String problem = SigningSecrets.problem(scheme, secret);
        if (problem != null) {
            throw ApiException.validation(problem);
        }
        boolean requireApiKey = request.requireApiKey() == null ? scheme.requiresApiKeyByDefault() : request.requireApiKey();
        OffsetDateTime now = now();
        Provider provider = new Provider(UUID.randomUUID(), organizationId, name, scheme, requireApiKey, names, now);
        ProviderSecret sealed = seal(provider.id(), secret, now);
        return repository.pool().withTransaction(tx -> repository.insert(tx, provider).flatMap(inserted -> {
            if (!inserted) {
                return Uni.createFrom().failure(new ApiException(409, ErrorCodes.CONFLICT,
                        "This organization already has a webhook provider named '" + name + "'"));
            }
            return repository.insertSecret(tx, sealed).flatMap(x -> audit.record(tx, ProviderAudit.Change.CREATED,
                    organizationId, provider.id(), name, Map.of("scheme", scheme.name().toLowerCase(java.util.Locale.ROOT)),
                    origin));
        })).flatMap(done -> changed(provider)).invoke(audit::committed)
                .map(done -> new ProviderDetails(provider, List.of(sealed), secret));
    }

    public Uni<List<ProviderDetails>> list(UUID organizationId) {
        return repository.list(organizationId).flatMap(providers -> repository
                .secrets(providers.stream().map(Provider::id).toList())
                .map(secrets -> {
                    Map<UUID, List<ProviderSecret>> byProvider = secrets.stream()
                            .collect(Collectors.groupingBy(ProviderSecret::providerId));
                    return providers.stream()
                            .map(p -> new ProviderDetails(p, byProvider.getOrDefault(p.id(), List.of()), null)).toList();
                }));
    }

    public Uni<ProviderDetails> get(UUID organizationId, UUID id) {
        return repository.find(organizationId, id).flatMap(found -> {
            Provider provider = found.orElseThrow(() -> ApiException.notFound("Webhook provider"));
            return repository.secrets(List.of(id)).map(secrets -> new ProviderDetails(provider, secrets, null));
        });
    }

    public Uni<Void> delete(UUID organizationId, UUID id, ProviderAudit.Origin origin) {
        return repository.pool().withTransaction(tx -> repository.lock(tx, organizationId, id).flatMap(found -> {
            Provider provider = found.orElseThrow(() -> ApiException.notFound("Webhook provider"));
            return repository.delete(tx, organizationId, id)
                    .flatMap(x -> audit.record(tx, ProviderAudit.Change.DELETED, organizationId, id, provider.name(),
                            null, origin))
                    .replaceWith(provider);
        })).flatMap(provider -> changed(provider).invoke(audit::committed));
    }

    /**
     * Adds a new secret (generated, or the provider's own) and makes every older one expire at
     * {@code previousExpiresAt} (default: in 24 hours; now or a past time ends them at once). Until then a
     * delivery signed with either is accepted.
     */
    public Uni<ProviderDetails> rotate(UUID organizationId, UUID id, String suppliedSecret,
            OffsetDateTime previousExpiresAt, ProviderAudit.Origin origin) {
        OffsetDateTime now = now();
        OffsetDateTime expiry = previousExpiresAt == null ? now.plus(DEFAULT_OVERLAP)
                : previousExpiresAt.isBefore(now) ? now : previousExpiresAt;
        if (expiry.isAfter(now.plus(MAX_OVERLAP))) {
            throw ApiException.validation("'previous_expires_at' must be within 30 days");
        }
        return repository.pool().withTransaction(tx -> repository.lock(tx, organizationId, id).flatMap(found -> {
            Provider provider = found.orElseThrow(() -> ApiException.notFound("Webhook provider"));
            String secret = suppliedSecret == null ? SigningSecrets.generate(provider.scheme()) : suppliedSecret;
            String problem = SigningSecrets.problem(provider.scheme(), secret);
            if (problem != null) {
                throw ApiException.validation(problem);
            }
            ProviderSecret sealed = seal(provider.id(), secret, now);
            return repository.deleteExpiredSecrets(tx, id, now)
                    .flatMap(x -> repository.expireSecrets(tx, id, expiry))
                    .flatMap(x -> repository.insertSecret(tx, sealed))
                    .flatMap(x -> audit.record(tx, ProviderAudit.Change.SECRET_ROTATED, organizationId, id,
                            provider.name(), Map.of("previous_secrets_expire_at", expiry.toString()), origin))
                    .replaceWith(new ProviderDetails(provider, List.of(), secret));
        })).flatMap(rotated -> changed(rotated.provider())
                .invoke(audit::committed)
                .flatMap(x -> repository.secrets(List.of(id)))
                .map(secrets -> new ProviderDetails(rotated.provider(), secrets, rotated.secret())));
    }

    private ProviderSecret seal(UUID providerId, String secret, OffsetDateTime now) {
        UUID secretId = UUID.randomUUID();
        return new ProviderSecret(secretId, providerId, sealer.seal(providerId, secretId, secret), now, null);
    }

    /** Drops the provider from this replica's cache and tells the others (after the commit). */
    private Uni<Void> changed(Provider provider) {
        cache.invalidate(provider.organizationId(), provider.name());
        return repository.announceChange(provider)
                // The commit stands; other replicas' caches expire within provider-cache-ttl at worst.
                .onFailure().recoverWithNull();
    }

    private static HeaderNames headerNames(Scheme scheme, Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return scheme == Scheme.GENERIC ? HeaderNames.DEFAULT : null;
        }
        if (scheme != Scheme.GENERIC) {
            throw ApiException.validation("'headers' can only be set for the generic scheme");
        }
        for (String key : headers.keySet()) {
            if (!List.of("signature", "timestamp", "nonce").contains(key)) {
                throw ApiException.validation("'headers' may name only signature, timestamp and nonce");
            }
        }
        HeaderNames names = HeaderNames.of(headers.get("signature"), headers.get("timestamp"), headers.get("nonce"));
        for (String header : List.of(names.signature(), names.timestamp(), names.nonce())) {
            if (!HEADER.matcher(header).matches() || RESERVED_HEADERS.contains(header.toLowerCase(java.util.Locale.ROOT))) {
                throw ApiException.validation("'headers' must be valid header names, not " + RESERVED_HEADERS);
            }
        }
        if (names.signature().equalsIgnoreCase(names.timestamp()) || names.signature().equalsIgnoreCase(names.nonce())
                || names.timestamp().equalsIgnoreCase(names.nonce())) {
            throw ApiException.validation("'headers' must name three different headers");
        }
        return names;
    }

    private OffsetDateTime now() {
        // Microseconds: what PostgreSQL keeps, so that values read back compare equal.
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
