package dev.latchkey.common.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids refused until a time (epoch seconds): the ended sessions and the revoked API keys each instance keeps. A later
 * announcement never shortens a refusal; an entry already past (a 0 answered for an active session, say) is never
 * a refusal and goes at the next {@link #expire}.
 */
final class DenyList {

    private final Map<String, Long> until = new ConcurrentHashMap<>();

    void deny(String id, long denyUntil) {
        until.merge(id, denyUntil, Math::max);
    }

    boolean denied(String id, long now) {
        Long end = until.get(id);
        return end != null && end > now;
    }

    void expire(long now) {
        until.values().removeIf(end -> end <= now);
    }
}
