package dev.latchkey.identity.token;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What goes into one access token besides the registered claims identity always sets.
 *
 * @param subject  {@code sub}: a user id, {@code apikey:<id>} or {@code service:<name>}
 * @param tenantId {@code tenant_id} (the active organization), or null for a service token
 * @param scopes   become the space-separated {@code scope} claim
 * @param tokenUse {@code access} for tenants' callers, {@code service} between Latchkey services
 * @param ttl      lifetime; {@code exp = iat + ttl}
 * @param claims   further claims ({@code roles}, {@code sid}, {@code email}, {@code key_id} …): strings,
 *                 booleans, numbers, lists and maps of those
 * @param audience {@code aud}: null for the audience Latchkey's services verify; an RFC 8707 resource for a token
 *                 a client asked for that resource server
 */
public record TokenRequest(String subject, String tenantId, List<String> scopes, String tokenUse, Duration ttl,
        Map<String, Object> claims, String audience) {

    public TokenRequest {
        claims = claims == null ? Map.of() : claims;
    }

    public TokenRequest(String subject, String tenantId, List<String> scopes, String tokenUse, Duration ttl,
            Map<String, Object> claims) {
        this(subject, tenantId, scopes, tokenUse, ttl, claims, null);
    }

    public TokenRequest(String subject, String tenantId, List<String> scopes, String tokenUse, Duration ttl) {
        this(subject, tenantId, scopes, tokenUse, ttl, Map.of(), null);
    }

    /** The same token for {@code audience} (an RFC 8707 resource); null keeps Latchkey's own. */
    public TokenRequest withAudience(String audience) {
        return new TokenRequest(subject, tenantId, scopes, tokenUse, ttl, claims, audience);
    }
}
