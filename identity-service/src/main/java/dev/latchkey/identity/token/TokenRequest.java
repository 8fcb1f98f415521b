package dev.latchkey.identity.token;

import java.time.Duration;
import java.util.List;

/**
 * What goes into one access token besides the registered claims identity always sets.
 *
 * @param subject  {@code sub}: {@code apikey:<id>}, {@code user:<id>} or {@code service:<name>}
 * @param tenantId {@code tenant_id}, or null for a service token
 * @param scopes   become the space-separated {@code scope} claim
 * @param tokenUse {@code access} for tenants' callers, {@code service} between Latchkey services
 * @param ttl      lifetime; {@code exp = iat + ttl}
 */
public record TokenRequest(String subject, String tenantId, List<String> scopes, String tokenUse, Duration ttl) {
}
