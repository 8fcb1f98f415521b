package dev.latchkey.common.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens that were revoked although no session or API key stands behind them (a service's, from the
 * client-credentials grant, RFC 7009): by token id ({@code jti}) until the token would have expired, and by client,
 * every token issued to a client up to the moment it was deleted or its secret rotated. Tokens of a session or a key
 * are refused through those ({@link Revocations#session}, {@link Revocations#keyDenied}), so only tokens with
 * neither are looked up here: the hot path of a person's or a key's token never touches these maps.
 * <p>
 * PostgreSQL (identity's {@code revoked_tokens}, {@code revoked_clients}) is the record; this is the copy every
 * instance keeps, filled by announcements and rebuilt at each resync. No Quarkus imports: tested with plain JUnit.
 */
public final class DeniedTokens {

    /** Tokens of {@code client} issued at or before {@code revokedAt} are refused until {@code until}. */
    public record ClientDenial(long revokedAt, long until) {

        public ClientDenial merge(ClientDenial other) {
            // A later revocation covers every token the earlier one did, and lasts at least as long.
            return new ClientDenial(Math.max(revokedAt, other.revokedAt), Math.max(until, other.until));
        }
    }

    /** What identity answers to a resync: revoked token ids and revoked clients still worth refusing. */
    public record Denied(Map<String, Long> tokens, Map<String, ClientDenial> clients) {
        public static final Denied NONE = new Denied(Map.of(), Map.of());
    }

    /** Announcement types on {@link Revocations#CHANNEL}: {@code token <jti> <deny-until>}. */
    public static final String TOKEN = "token";
    /** {@code client <id> <revoked-at>:<deny-until>}. */
    public static final String CLIENT = "client";

    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final Map<String, ClientDenial> clients = new ConcurrentHashMap<>();

    /** The client a token was issued to, when a client-level revocation can reach it: a service's token. */
    public static String clientOf(VerifiedToken token) {
        String subject = token.getSubject();
        return token.isService() && subject != null && subject.startsWith(Claims.SERVICE_SUBJECT_PREFIX)
                ? subject.substring(Claims.SERVICE_SUBJECT_PREFIX.length()) : null;
    }

    public void token(String jti, long until) {
        tokens.merge(jti, until, Math::max);
    }

    public void client(String clientId, ClientDenial denial) {
        clients.merge(clientId, denial, ClientDenial::merge);
    }

    /** Applies an announcement ({@link #TOKEN} or {@link #CLIENT}); a malformed one is ignored. */
    public void apply(String type, String id, String value) {
        try {
            if (TOKEN.equals(type)) {
                token(id, Long.parseLong(value));
            } else if (CLIENT.equals(type)) {
                int colon = value.indexOf(':');
                client(id, new ClientDenial(Long.parseLong(value.substring(0, colon)),
                        Long.parseLong(value.substring(colon + 1))));
            }
        } catch (RuntimeException malformed) {
            // Not from a Latchkey service of this version: nothing to deny.
        }
    }

    public void addAll(Denied denied) {
        denied.tokens().forEach(this::token);
        denied.clients().forEach(this::client);
    }

    /** Whether {@code token} is refused at {@code now} (epoch seconds). Two map lookups; no I/O. */
    public boolean denied(VerifiedToken token, long now) {
        String jti = token.getTokenID();
        Long until = jti == null ? null : tokens.get(jti);
        if (until != null && until > now) {
            return true;
        }
        String client = clientOf(token);
        ClientDenial denial = client == null ? null : clients.get(client);
        // Issued in the second of the revocation counts as before it: refusing a fresh token the client may ask for
        // again is safer than admitting one minted with the old secret.
        return denial != null && denial.until() > now && token.getIssuedAtTime() <= denial.revokedAt();
    }

    /** Forgets what no token can need any more. */
    public void expire(long now) {
        tokens.values().removeIf(until -> until <= now);
        clients.values().removeIf(denial -> denial.until() <= now);
    }
}
