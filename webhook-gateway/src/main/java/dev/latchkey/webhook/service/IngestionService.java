package dev.latchkey.webhook.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.webhook.config.WebhookConfig;
import dev.latchkey.webhook.domain.InboxEvent;
import dev.latchkey.webhook.domain.Provider;
import dev.latchkey.webhook.replay.ReplayOutcome;
import dev.latchkey.webhook.replay.Reservation;
import dev.latchkey.webhook.repository.IngestionInbox;
import dev.latchkey.webhook.repository.ReplayStore;
import dev.latchkey.webhook.signature.HeaderNames;
import dev.latchkey.webhook.signature.Headers;
import dev.latchkey.webhook.signature.SignatureVerifier;
import dev.latchkey.webhook.signature.Verdict;
import io.smallrye.mutiny.Uni;

/**
 * One delivery, start to end: provider (from memory) → API key where required → signature and window →
 * reservation of the delivery id in Redis → commit to the inbox → answer. Nothing is acknowledged that is not
 * committed; nothing is accepted that Redis could not reserve.
 * <p>
 * Why a duplicate is still offered to the inbox: a reservation may outlive a delivery that was reserved but
 * never committed (PostgreSQL failed, or the replica died in between). The resend then finds the reservation
 * and would be answered "duplicate" although nothing was stored. Offering it to the inbox, whose
 * {@code (provider, delivery id)} is unique, stores it in that case and is a no-op otherwise; so of any number of
 * identical deliveries racing, exactly one is stored, and none is lost. Duplicates are rare (senders' retries),
 * so this costs little.
 */
@Singleton
public class IngestionService {

    /** What the sender is told. */
    public record Accepted(UUID id, boolean duplicate) {
    }

    private final ProviderCache providers;
    private final ReplayStore replay;
    private final IngestionInbox inbox;
    private final DeliveryMetrics metrics;
    private final WebhookConfig config;
    private final SignatureVerifier verifier;
    private final Clock clock = Clock.systemUTC();

    public IngestionService(ProviderCache providers, ReplayStore replay, IngestionInbox inbox, DeliveryMetrics metrics,
            WebhookConfig config) {
        this.providers = providers;
        this.replay = replay;
        this.inbox = inbox;
        this.metrics = metrics;
        this.config = config;
        this.verifier = new SignatureVerifier(config.timestampWindow(), clock);
    }

    /**
     * @param apiKeyOrganization asked only when the provider requires an API key: the key's organization
     */
    public Uni<Accepted> ingest(String organization, String providerName, Headers headers, byte[] body,
            Supplier<Uni<UUID>> apiKeyOrganization) {
        UUID organizationId = parse(organization);
        if (organizationId == null || providerName == null || providerName.length() > 63) {
            return reject(notFound(), DeliveryMetrics.UNKNOWN);
        }
        if (body.length > config.maxBodySize().asLongValue()) {
            return reject(new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE, "The request body is too large"),
                    DeliveryMetrics.UNKNOWN);
        }
        return providers.get(organizationId, providerName)
                .onFailure().transform(e -> unavailable("PostgreSQL", e))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return reject(notFound(), DeliveryMetrics.UNKNOWN);
                    }
                    ProviderCache.Active active = found.get();
                    if (!active.provider().requireApiKey()) {
                        return verified(active, headers, body);
                    }
                    return apiKeyOrganization.get()
                            .onFailure().invoke(e -> count(e, providerName))
                            .flatMap(keyOrganization -> {
                                if (!organizationId.equals(keyOrganization)) {
                                    return reject(new ApiException(401, "invalid_api_key",
                                            "The API key is not valid for this webhook endpoint"), providerName);
                                }
                                return verified(active, headers, body);
                            });
                });
    }

    private Uni<Accepted> verified(ProviderCache.Active active, Headers headers, byte[] body) {
        Provider provider = active.provider();
        OffsetDateTime now = now();
        Verdict verdict = verifier.verify(provider.scheme(), provider.headerNames(), headers, body, active.keysAt(now));
        if (!verdict.accepted()) {
            int status = switch (verdict.rejection()) {
                case MISSING_HEADER, MALFORMED_HEADER -> 400;
                case INVALID_SIGNATURE, TIMESTAMP_OUT_OF_WINDOW -> 401;
            };
            return reject(new ApiException(status, verdict.rejection().code(), verdict.message()), provider.name());
        }
        Reservation reservation = Reservation.of(provider.id(), verdict.deliveryId(), body, config.timestampWindow(),
                config.replayTtl());
        return replay.reserve(reservation)
                .ifNoItem().after(config.dependencyTimeout()).fail()
                .onFailure().transform(e -> unavailable("Redis", e))
                .onFailure().invoke(e -> count(e, provider.name()))
                .flatMap(outcome -> {
                    if (outcome == ReplayOutcome.REPLAYED) {
                        return reject(new ApiException(401, "replayed",
                                "This delivery id was already used for a different body"), provider.name());
                    }
                    InboxEvent event = new InboxEvent(0, eventId(), provider.organizationId(), provider.id(),
                            provider.name(), verdict.deliveryId(), verdict.eventType(),
                            selectedHeaders(provider, headers), body, now, null, 0);
                    return inbox.insert(event)
                            .ifNoItem().after(config.dependencyTimeout()).fail()
                            .onFailure().transform(e -> unavailable("PostgreSQL", e))
                            .onFailure().invoke(e -> count(e, provider.name()))
                            .map(stored -> {
                                metrics.accepted(provider.name(), !stored);
                                return new Accepted(stored ? event.id() : null, !stored);
                            });
                });
    }

    private <T> Uni<T> reject(ApiException e, String provider) {
        metrics.rejected(e.code(), provider);
        return Uni.createFrom().failure(e);
    }

    private void count(Throwable e, String provider) {
        metrics.rejected(e instanceof ApiException api ? api.code() : ErrorCodes.INTERNAL_ERROR, provider);
    }

    private static ApiException notFound() {
        // The same answer whether the organization or the provider is unknown.
        return new ApiException(404, ErrorCodes.NOT_FOUND, "No webhook endpoint at this address");
    }

    private static ApiException unavailable(String dependency, Throwable cause) {
        if (cause instanceof ApiException api) {
            return api;
        }
        return ApiException.unavailable("The gateway cannot accept deliveries right now; retry later",
                dependency + " failed: " + cause, cause);
    }

    private static final List<String> COMMON_HEADERS = List.of("content-type", "user-agent");
    private static final List<String> GITHUB_HEADERS = kept(COMMON_HEADERS, "x-github-delivery", "x-github-event",
            "x-github-hook-id", "x-github-hook-installation-target-id", "x-hub-signature-256", "x-webhook-signature");
    private static final List<String> STRIPE_HEADERS = kept(COMMON_HEADERS, "stripe-signature");
    private static final List<String> STANDARD_HEADERS = kept(COMMON_HEADERS, "webhook-id", "webhook-timestamp",
            "webhook-signature");
    private static final List<String> SVIX_HEADERS = kept(COMMON_HEADERS, "svix-id", "svix-timestamp", "svix-signature");

    /**
     * Headers kept with the event, as a JSON object with lower-case names in name order: those that describe the
     * delivery, never credentials. Written by hand rather than through a Map and Jackson: it runs for every
     * accepted delivery, and the object is flat strings.
     */
    static String selectedHeaders(Provider provider, Headers headers) {
        List<String> names = switch (provider.scheme()) {
            case GITHUB -> GITHUB_HEADERS;
            case STRIPE -> STRIPE_HEADERS;
            case STANDARD -> STANDARD_HEADERS;
            case SVIX -> SVIX_HEADERS;
            case GENERIC -> {
                HeaderNames generic = provider.headerNames();
                yield kept(COMMON_HEADERS, generic.signature(), generic.timestamp(), generic.nonce());
            }
        };
        StringBuilder out = new StringBuilder(256).append('{');
        for (String name : names) {
            String value = headers.get(name);
            if (value != null && value.length() <= 1024) {
                if (out.length() > 1) {
                    out.append(',');
                }
                jsonString(out, name).append(':');
                jsonString(out, value);
            }
        }
        return out.append('}').toString();
    }

    /** {@code first} and {@code more}, lower-cased, without repeats, in name order. */
    private static List<String> kept(List<String> first, String... more) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(first);
        for (String name : more) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    /** {@code value} as a JSON string (RFC 8259: quote, backslash and control characters escaped). */
    private static StringBuilder jsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** A random (version 4) UUID without SecureRandom's lock: event ids identify, they protect nothing. */
    private static UUID eventId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static UUID parse(String value) {
        try {
            return value == null || value.length() != 36 ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
