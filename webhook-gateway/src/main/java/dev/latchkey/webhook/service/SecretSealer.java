package dev.latchkey.webhook.service;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.inject.Singleton;

import dev.latchkey.common.crypto.SecretBox;
import dev.latchkey.webhook.config.WebhookConfig;
import dev.latchkey.webhook.domain.ProviderSecret;
import io.quarkus.runtime.Startup;

/**
 * Seals providers' signing secrets under the configured key-encryption key. Created at start-up so that a
 * missing or malformed {@code LATCHKEY_WEBHOOK_KEK} stops the gateway before it serves anything.
 */
@Startup
@Singleton
public class SecretSealer {

    private final SecretBox box;

    public SecretSealer(WebhookConfig config) {
        this.box = SecretBox.fromBase64(config.kek());
    }

    public byte[] seal(UUID providerId, UUID secretId, String secret) {
        return box.seal(secret.getBytes(StandardCharsets.UTF_8), ProviderSecret.associatedData(providerId, secretId));
    }

    public String open(ProviderSecret secret) {
        return new String(box.open(secret.sealed(), ProviderSecret.associatedData(secret.providerId(), secret.id())),
                StandardCharsets.UTF_8);
    }
}
