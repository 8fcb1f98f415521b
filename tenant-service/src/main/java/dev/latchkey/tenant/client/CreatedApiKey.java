package dev.latchkey.tenant.client;

import java.util.List;

/** A key apikey-service has just created; {@code key} is the plaintext, shown this once. */
public record CreatedApiKey(String id, String key, String start, String name, List<String> scopes) {
    @Override
    public String toString() {
        return "CreatedApiKey[id=" + id + ", start=" + start + "]";
    }
}
