package dev.latchkey.webhook.signature;

/** A request's headers as the verifier reads them: case-insensitive names, the first value, null if absent. */
@FunctionalInterface
public interface Headers {
    String get(String name);
}
