package dev.latchkey.identity.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * apikey-service's verdict on a key.
 *
 * @param code VALID, NOT_FOUND, REVOKED or EXPIRED
 */
public record ApiKeyVerification(boolean valid, String code, @JsonProperty("key_id") String keyId,
        @JsonProperty("tenant_id") String tenantId, List<String> scopes) {
}
