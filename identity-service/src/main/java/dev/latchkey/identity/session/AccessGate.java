package dev.latchkey.identity.session;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Access gating, as Kisenon runs its alpha: when enabled, only addresses on the allowlist may sign up or sign
 * in. Entries are whole addresses ({@code ada@example.com}) or domains ({@code example.com} or
 * {@code @example.com}, which also admits its subdomains' addresses only if listed themselves).
 */
public final class AccessGate {

    private final boolean enabled;
    private final Set<String> addresses = new HashSet<>();
    private final Set<String> domains = new HashSet<>();

    public AccessGate(boolean enabled, Collection<String> allowlist) {
        this.enabled = enabled;
        for (String raw : allowlist) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("@")) {
                domains.add(entry.substring(1));
            } else if (entry.contains("@")) {
                addresses.add(entry);
            } else {
                domains.add(entry);
            }
        }
    }

    /** Whether {@code normalisedEmail} may sign up or sign in. */
    public boolean admits(String normalisedEmail) {
        if (!enabled) {
            return true;
        }
        if (normalisedEmail == null) {
            return false;
        }
        return addresses.contains(normalisedEmail)
                || domains.contains(normalisedEmail.substring(normalisedEmail.lastIndexOf('@') + 1));
    }

    public boolean enabled() {
        return enabled;
    }
}
