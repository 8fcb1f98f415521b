package dev.latchkey.tenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.net.ClientAddresses;
import dev.latchkey.common.rbac.Action;
import dev.latchkey.common.rbac.Role;

/** tenant-service's sharp rules, with plain JUnit. */
class PolicyTest {

    @Nested
    class Memberships {

        @Test
        void anythingTouchingAnOwnerIsAnOwnersAct() {
            assertEquals(Action.OWNERS_MANAGE, MembershipRules.roleChange(Role.MEMBER, Role.OWNER));
            assertEquals(Action.OWNERS_MANAGE, MembershipRules.roleChange(Role.OWNER, Role.ADMIN));
            assertEquals(Action.MEMBERS_MANAGE, MembershipRules.roleChange(Role.ADMIN, Role.MEMBER));
            assertEquals(Action.OWNERS_MANAGE, MembershipRules.removal(Role.OWNER));
            assertEquals(Action.MEMBERS_MANAGE, MembershipRules.removal(Role.ADMIN));
        }

        @Test
        void inviting() {
            assertEquals(Action.OWNERS_MANAGE, MembershipRules.invitation(Role.OWNER, true));
            assertEquals(Action.MEMBERS_INVITE, MembershipRules.invitation(Role.OWNER, false));
            assertEquals(Action.MEMBERS_INVITE, MembershipRules.invitation(Role.ADMIN, true));
        }

        @Test
        void theLastOwner() {
            assertTrue(MembershipRules.losesLastOwner(Role.OWNER, Role.ADMIN, 1));
            assertTrue(MembershipRules.losesLastOwner(Role.OWNER, null, 1));
            assertFalse(MembershipRules.losesLastOwner(Role.OWNER, Role.ADMIN, 2));
            assertFalse(MembershipRules.losesLastOwner(Role.OWNER, Role.OWNER, 1));
            assertFalse(MembershipRules.losesLastOwner(Role.ADMIN, null, 0));
        }
    }

    @Nested
    class SlugRules {

        @Test
        void fromNames() {
            assertEquals("acht-cool-gmbh", Slugs.fromName("  Ächt Cool GmbH! "));
            assertEquals("org", Slugs.fromName("!!!"));
            assertEquals("org", Slugs.fromName("日本"));
            String longName = "a".repeat(30) + " " + "b".repeat(30);
            assertTrue(Slugs.fromName(longName).length() <= 40);
            assertTrue(Slugs.valid(Slugs.fromName(longName)));
        }

        @Test
        void validity() {
            assertTrue(Slugs.valid("a"));
            assertTrue(Slugs.valid("acme-2"));
            assertFalse(Slugs.valid("-acme"));
            assertFalse(Slugs.valid("acme-"));
            assertFalse(Slugs.valid("Acme"));
            assertFalse(Slugs.valid("a".repeat(49)));
            assertFalse(Slugs.valid(""));
            assertFalse(Slugs.valid(null));
        }

        @Test
        void suffixes() {
            String slug = Slugs.withRandomSuffix("x".repeat(48));
            assertTrue(Slugs.valid(slug), slug);
            assertNotEquals(Slugs.withRandomSuffix("acme"), Slugs.withRandomSuffix("acme"));
        }
    }

    @Nested
    class Tokens {

        @Test
        void randomWellFormedAndHashed() {
            String a = InvitationTokens.generate();
            assertTrue(InvitationTokens.wellFormed(a));
            assertNotEquals(a, InvitationTokens.generate());
            assertEquals(32, InvitationTokens.hash(a).length);
            assertTrue(Secrets.constantTimeEquals(Secrets.sha256(a), InvitationTokens.hash(a)));
            assertFalse(InvitationTokens.wellFormed("lki_short"));
            assertFalse(InvitationTokens.wellFormed(a + "x"));
            assertFalse(InvitationTokens.wellFormed(a.replace("lki_", "lk_x")));
            assertFalse(InvitationTokens.wellFormed(null));
        }

        @Test
        void emails() {
            assertEquals("ada@example.com", EmailAddresses.normalise("  Ada@Example.COM "));
            assertTrue(EmailAddresses.same("Ada@example.com", "ada@EXAMPLE.com"));
            assertFalse(EmailAddresses.same("ada@example.com", null));
            assertTrue(EmailAddresses.plausible("a.b+c@example.co.uk"));
            assertFalse(EmailAddresses.plausible("no at sign"));
            assertFalse(EmailAddresses.plausible("a@b"));
            assertFalse(EmailAddresses.plausible("<a@example.com>"));
        }

        @Test
        void internationalDomainsAsIdentityKeysThem() {
            assertEquals("someone@xn--bcher-kva.example", EmailAddresses.normalise(" Someone@Bücher.Example "));
            assertEquals("someone@xn--bcher-kva.example", EmailAddresses.normalise("someone@XN--BCHER-KVA.example"));
            assertTrue(EmailAddresses.same("someone@bücher.example", "someone@xn--bcher-kva.example"));
        }
    }

    @Nested
    class ForwardedFor {

        @Test
        void ignoredWithoutTrustedProxies() {
            ClientAddresses none = new ClientAddresses(List.of());
            assertEquals("10.0.0.5", none.resolve("10.0.0.5", "203.0.113.7"));
        }

        @Test
        void ignoredFromAnUntrustedPeer() {
            ClientAddresses proxies = new ClientAddresses(List.of("10.0.0.0/8"));
            assertEquals("198.51.100.1", proxies.resolve("198.51.100.1", "203.0.113.7"));
        }

        @Test
        void fromATrustedProxyTheRightmostUntrustedHop() {
            ClientAddresses proxies = new ClientAddresses(List.of("10.0.0.0/8", "192.168.1.1"));
            assertEquals("203.0.113.7", proxies.resolve("10.1.2.3", "203.0.113.7"));
            // the client made up the first entry; the proxies appended the real one
            assertEquals("203.0.113.7", proxies.resolve("10.1.2.3", "1.2.3.4, 203.0.113.7, 192.168.1.1"));
            assertEquals("203.0.113.7", proxies.resolve("10.1.2.3", "garbage, 203.0.113.7"));
            assertEquals("10.1.2.3", proxies.resolve("10.1.2.3", "not-an-address"));
        }

        @Test
        void ipv6AndBadRanges() {
            ClientAddresses proxies = new ClientAddresses(List.of("fd00::/8"));
            assertEquals("2001:db8::1", proxies.resolve("fd12::1", "2001:db8::1"));
            assertThrows(IllegalArgumentException.class, () -> new ClientAddresses(List.of("proxy.example.com")));
            assertThrows(IllegalArgumentException.class, () -> new ClientAddresses(List.of("10.0.0.0/33")));
        }
    }

    @Nested
    class Cursor {

        @Test
        void roundTripsAndRefusesForgeries() {
            assertEquals(42L, Cursors.id(Cursors.ofId(42)));
            Instant time = Instant.parse("2026-01-02T03:04:05.123456Z");
            UUID id = UUID.randomUUID();
            Cursors.TimeAndId position = Cursors.timeAndId(Cursors.ofTimeAndId(time, id));
            assertEquals(time, position.time());
            assertEquals(id, position.id());
            assertNull(Cursors.id("!!"));
            assertNull(Cursors.id(Cursors.ofTimeAndId(time, id)));
            assertNull(Cursors.timeAndId(Cursors.ofId(1)));
            assertNull(Cursors.id(java.util.Base64.getUrlEncoder().encodeToString("i:-5".getBytes())));
            assertNull(Cursors.timeAndId("x".repeat(300)));
        }
    }
}
