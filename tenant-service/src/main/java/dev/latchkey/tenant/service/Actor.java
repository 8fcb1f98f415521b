package dev.latchkey.tenant.service;

import dev.latchkey.common.auth.VerifiedToken;

/**
 * Who made a change and from where, as the audit log records it.
 *
 * @param type          {@code user}, {@code api_key}, {@code service} or {@code anonymous}
 * @param id            the user id, API key id or service name; null for anonymous
 * @param email         a person's e-mail address when the token carries it
 * @param clientAddress see {@code ClientAddresses}
 * @param requestId     the request's correlation id
 */
public record Actor(String type, String id, String email, String clientAddress, String requestId) {

    public static Actor of(VerifiedToken caller, String clientAddress, String requestId) {
        if (caller == null) {
            return new Actor("anonymous", null, null, clientAddress, requestId);
        }
        return switch (caller.kind()) {
            case USER -> new Actor("user", caller.userId(), caller.email(), clientAddress, requestId);
            case API_KEY -> new Actor("api_key", caller.keyId(), null, clientAddress, requestId);
            case SERVICE -> new Actor("service", serviceName(caller.getSubject()), null, clientAddress, requestId);
        };
    }

    private static String serviceName(String subject) {
        return subject != null && subject.startsWith("service:") ? subject.substring("service:".length()) : subject;
    }
}
