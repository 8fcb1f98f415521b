package dev.latchkey.identity.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class EmailAddressesTest {

    @Test
    void addressesAreTrimmedLowerCasedAndIdnaEncoded() {
        assertEquals("ada+tag@example.com", EmailAddresses.normalise("  Ada+Tag@EXAMPLE.com "));
        assertEquals("jose@xn--mnchen-3ya.de", EmailAddresses.normalise("jose@münchen.de"));
    }

    @Test
    void implausibleAddressesAreRefused() {
        for (String bad : new String[] { "", "plain", "@example.com", "a@", "a@b", "a..b@example.com", ".a@example.com",
                "a b@example.com", "a@exa mple.com", "a@-example.com", "a\u0000@example.com", "x".repeat(70) + "@example.com" }) {
            assertNull(EmailAddresses.normalise(bad), bad);
        }
    }
}
