package dev.latchkey.webhook.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.latchkey.webhook.signature.HeaderNames;
import dev.latchkey.webhook.signature.Scheme;

/** A sender of webhooks to one organization, as stored (its secrets are separate, sealed). */
public record Provider(UUID id, UUID organizationId, String name, Scheme scheme, boolean requireApiKey,
        HeaderNames headerNames, OffsetDateTime createdAt) {
}
