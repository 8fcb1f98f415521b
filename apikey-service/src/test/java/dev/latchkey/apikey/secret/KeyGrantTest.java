package dev.latchkey.apikey.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.secret.KeyGrant.Exceeds;
import dev.latchkey.apikey.secret.KeyGrant.Granted;
import dev.latchkey.apikey.secret.KeyGrant.Settings;
import dev.latchkey.common.auth.RateLimit;
import dev.latchkey.common.rbac.Capability;
import dev.latchkey.common.rbac.ResourceScope;

class KeyGrantTest {

    static final Settings NOTHING = new Settings(null, null, null, null);
    static final ResourceScope P = ResourceScope.of(ResourceScope.Type.PROJECT, List.of("p"));
    static final ResourceScope Q = ResourceScope.of(ResourceScope.Type.PROJECT, List.of("q"));
    static final ResourceScope PQ = ResourceScope.of(ResourceScope.Type.PROJECT, List.of("p", "q"));

    static Settings granted(Settings creator, Settings requested) {
        return assertInstanceOf(Granted.class, KeyGrant.grant(creator, requested)).settings();
    }

    @Test
    void anAdminMayGiveAnythingAndDefaultsToReadWriteOrganizationWide() {
        Settings admin = KeyGrant.person(true);
        Settings given = granted(admin, NOTHING);
        assertEquals(Capability.READ_WRITE, given.capability());
        assertEquals(ResourceScope.ORGANIZATION, given.scope());
        Settings narrow = granted(admin, new Settings(Capability.READ, P, new RateLimit(10, 2), Instant.now().plusSeconds(60)));
        assertEquals(P, narrow.scope());
        assertEquals(new RateLimit(10, 2), narrow.rateLimit());
    }

    @Test
    void aMemberGetsReadKeysOnly() {
        Settings member = KeyGrant.person(false);
        assertEquals(Capability.READ, granted(member, NOTHING).capability());
        assertInstanceOf(Exceeds.class, KeyGrant.grant(member, new Settings(Capability.READ_WRITE, null, null, null)));
    }

    @Test
    void aScopedKeyMayNotReachBeyondItsScope() {
        Settings projectP = new Settings(Capability.READ_WRITE, P, null, null);
        assertEquals(P, granted(projectP, NOTHING).scope());
        assertInstanceOf(Exceeds.class, KeyGrant.grant(projectP, new Settings(null, Q, null, null)));
        assertInstanceOf(Exceeds.class, KeyGrant.grant(projectP, new Settings(null, PQ, null, null)));
        assertInstanceOf(Exceeds.class, KeyGrant.grant(projectP, new Settings(null, ResourceScope.ORGANIZATION, null, null)));
        assertInstanceOf(Exceeds.class, KeyGrant.grant(projectP,
                new Settings(null, ResourceScope.of(ResourceScope.Type.BRANCH, List.of("p")), null, null)));
        assertEquals(P, granted(new Settings(Capability.READ, PQ, null, null), new Settings(null, P, null, null)).scope());
    }

    @Test
    void aLimitedKeyMintsOnlyKeysAsLimited() {
        Settings limited = new Settings(Capability.READ_WRITE, ResourceScope.ORGANIZATION, new RateLimit(60, 10), null);
        assertEquals(new RateLimit(60, 10), granted(limited, NOTHING).rateLimit());
        assertEquals(new RateLimit(30, 5), granted(limited, new Settings(null, null, new RateLimit(30, 5), null)).rateLimit());
        assertInstanceOf(Exceeds.class, KeyGrant.grant(limited, new Settings(null, null, new RateLimit(61, 10), null)));
        assertInstanceOf(Exceeds.class, KeyGrant.grant(limited, new Settings(null, null, new RateLimit(60, 11), null)));
    }

    @Test
    void anExpiringKeyMintsNothingThatOutlivesIt() {
        Instant end = Instant.parse("2030-01-01T00:00:00Z");
        Settings expiring = new Settings(Capability.READ_WRITE, ResourceScope.ORGANIZATION, null, end);
        assertEquals(end, granted(expiring, NOTHING).expiresAt());
        assertEquals(end.minusSeconds(1), granted(expiring, new Settings(null, null, null, end.minusSeconds(1))).expiresAt());
        assertInstanceOf(Exceeds.class, KeyGrant.grant(expiring, new Settings(null, null, null, end.plusSeconds(1))));
    }

    @Test
    void rotationNeedsTheRotatorToCoverTheKeyExactly() {
        Settings limited = new Settings(Capability.READ_WRITE, ResourceScope.ORGANIZATION, new RateLimit(60, 10), null);
        assertInstanceOf(Exceeds.class, KeyGrant.covers(limited, new Settings(Capability.READ, ResourceScope.ORGANIZATION,
                null, null)), "an unlimited key is looser than a limited rotator");
        assertInstanceOf(Granted.class, KeyGrant.covers(limited, new Settings(Capability.READ, P, new RateLimit(6, 1), null)));
        Settings expiring = new Settings(Capability.READ_WRITE, ResourceScope.ORGANIZATION, null, Instant.now().plusSeconds(60));
        assertInstanceOf(Exceeds.class, KeyGrant.covers(expiring, new Settings(Capability.READ, ResourceScope.ORGANIZATION,
                null, null)), "a key that never ends outlives an expiring rotator");
        assertInstanceOf(Granted.class, KeyGrant.covers(KeyGrant.person(true), new Settings(Capability.READ_WRITE,
                ResourceScope.ORGANIZATION, null, null)));
        assertInstanceOf(Exceeds.class, KeyGrant.covers(KeyGrant.person(false), new Settings(Capability.READ_WRITE,
                ResourceScope.ORGANIZATION, null, null)));
    }
}
