package dev.latchkey.apikey.secret;

import java.time.Instant;

import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;

/**
 * A key never exceeds its creator. Whoever creates (or rotates) a key can give it at most what they hold
 * themselves: a capability no greater, a resource scope they cover, a rate limit no looser and an end no
 * later. Otherwise a read-only or short-lived key could mint a stronger or longer-lived one and escape its own
 * limits. What a request leaves out is taken from the creator, so a member's key defaults to {@code read}
 * and a key minted by a rate-limited key carries that limit.
 */
public final class KeyGrant {

    private KeyGrant() {
    }

    /**
     * What a key grants, or what a creator holds.
     *
     * @param capability what it may do; null in a request means "as much as the creator"
     * @param scope      what it reaches; null in a request means "as far as the creator"
     * @param rateLimit  its limit; null means unlimited (for a creator) or "the creator's" (in a request)
     * @param expiresAt  when it ends; null means never (for a creator) or "when the creator does" (in a request)
     */
    public record Settings(Capability capability, ResourceScope scope, RateLimit rateLimit, Instant expiresAt) {
    }

    /** What a person holds: read-write if their role manages keys (owner, admin), read otherwise; no limits. */
    public static Settings person(boolean managesKeys) {
        return new Settings(managesKeys ? Capability.READ_WRITE : Capability.READ, ResourceScope.ORGANIZATION, null,
                null);
    }

    /** The outcome: the settings granted, or what would exceed the creator. */
    public sealed interface Outcome permits Granted, Exceeds {
    }

    public record Granted(Settings settings) implements Outcome {
    }

    /** @param what the setting that would exceed the creator, for the error message */
    public record Exceeds(String what) implements Outcome {
    }

    /**
     * Whether {@code holder} may re-issue a key with exactly {@code key}'s settings (rotation): here a null limit
     * means unlimited and a null expiry never, so a limited or expiring holder may not rotate such a key.
     */
    public static Outcome covers(Settings holder, Settings key) {
        if (holder.rateLimit() != null && holder.rateLimit().limited()
                && (key.rateLimit() == null || !key.rateLimit().limited())) {
            return new Exceeds("no rate limit (yours is " + holder.rateLimit().perMinute() + "/min)");
        }
        if (holder.expiresAt() != null && key.expiresAt() == null) {
            return new Exceeds("no expiry (yours ends " + holder.expiresAt() + ")");
        }
        return grant(holder, key);
    }

    public static Outcome grant(Settings creator, Settings requested) {
        Capability capability = requested.capability() != null ? requested.capability() : creator.capability();
        if (capability == Capability.READ_WRITE && creator.capability() != Capability.READ_WRITE) {
            return new Exceeds("capability read_write (yours is read)");
        }
        ResourceScope scope = requested.scope() != null ? requested.scope() : creator.scope();
        if (!creator.scope().covers(scope)) {
            return new Exceeds("resource scope beyond your own");
        }
        RateLimit limit = requested.rateLimit() != null ? requested.rateLimit() : creator.rateLimit();
        RateLimit own = creator.rateLimit();
        if (own != null && own.limited() && (limit == null || !limit.limited() || limit.perMinute() > own.perMinute()
                || limit.burst() > own.burst())) {
            return new Exceeds("rate limit looser than your own (" + own.perMinute() + "/min, burst " + own.burst()
                    + ")");
        }
        Instant expiresAt = requested.expiresAt() != null ? requested.expiresAt() : creator.expiresAt();
        if (creator.expiresAt() != null && expiresAt.isAfter(creator.expiresAt())) {
            return new Exceeds("expiry later than your own (" + creator.expiresAt() + ")");
        }
        return new Granted(new Settings(capability, scope, limit, expiresAt));
    }
}
