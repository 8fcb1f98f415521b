package dev.latchkey.apikey.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.ApiKeyFormat;

class ApiKeySecretsTest {

    @Test
    void keysArePrefixRandomAndChecksumAndShowOnlyTheirStartAndLastFour() {
        ApiKeySecrets.NewKey key = ApiKeySecrets.generate("mao_key");
        assertTrue(key.plaintext().matches("mao_key_[0-9A-Za-z]{36}_[0-9A-Za-z]{6}"), key.plaintext());
        assertTrue(ApiKeyFormat.wellFormed(key.plaintext()));
        assertEquals("mao_key", key.prefix());
        assertEquals(key.plaintext().substring(0, "mao_key_".length() + 4), key.start());
        assertEquals(key.plaintext().substring(key.plaintext().length() - 4), key.lastFour());
        assertFalse(key.toString().contains(key.plaintext().substring(8, 20)), "toString must not reveal the key");
    }

    @Test
    void everySeedPrefixWorks() {
        for (String prefix : new String[] { "lk", "mao_key", "m9m_sk", "nsk", "cflo" }) {
            String key = ApiKeySecrets.generate(prefix).plaintext();
            assertTrue(ApiKeyFormat.wellFormed(key), key);
            assertEquals(prefix, ApiKeyFormat.prefix(key));
        }
    }

    @Test
    void anInvalidPrefixIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ApiKeySecrets.generate("Bad"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeySecrets.generate("9lives"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeySecrets.generate(null));
        assertThrows(IllegalArgumentException.class, () -> ApiKeySecrets.generate("a".repeat(21)));
    }

    @Test
    void keysDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(ApiKeySecrets.generate("lk").plaintext()));
        }
    }

    @Test
    void theRandomPartCarriesAtLeast128Bits() {
        // 36 characters of a 62-letter alphabet, each drawn uniformly (SecureRandom.nextInt).
        assertTrue(ApiKeyFormat.RANDOM_CHARS * Math.log(62) / Math.log(2) >= 128);
    }
}
