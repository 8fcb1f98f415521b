package dev.latchkey.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.crypto.Secrets;

class ApiKeyFormatTest {

    @Test
    void aKeyIsPrefixRandomAndChecksum() {
        String key = ApiKeyFormat.assemble("mao_key", Secrets.randomBase62(ApiKeyFormat.RANDOM_CHARS));
        assertTrue(key.matches("mao_key_[0-9A-Za-z]{36}_[0-9A-Za-z]{6}"), key);
        assertTrue(ApiKeyFormat.wellFormed(key));
        assertEquals("mao_key", ApiKeyFormat.prefix(key));
    }

    @Test
    void theChecksumIsCrc32InSixBase62Characters() {
        // CRC32("lk_000000000000000000000000000000000000") = 0x1D5D9C4C = 492674124 -> base62
        String body = "lk_" + "0".repeat(36);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes());
        long value = crc.getValue();
        StringBuilder expected = new StringBuilder();
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < 6; i++) {
            expected.insert(0, alphabet.charAt((int) (value % 62)));
            value /= 62;
        }
        assertEquals(body + "_" + expected, ApiKeyFormat.assemble("lk", "0".repeat(36)));
    }

    @Test
    void everySingleCharacterTypoIsCaught() {
        String key = ApiKeyFormat.assemble("lk", Secrets.randomBase62(ApiKeyFormat.RANDOM_CHARS));
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int i = 3; i < key.length(); i++) {
            if (key.charAt(i) == '_') {
                continue;
            }
            for (char c : alphabet.toCharArray()) {
                if (c != key.charAt(i)) {
                    String typo = key.substring(0, i) + c + key.substring(i + 1);
                    assertFalse(ApiKeyFormat.wellFormed(typo), typo);
                }
            }
        }
    }

    @Test
    void theChecksumlessFormNoReleaseShippedIsNotAKey() {
        assertFalse(ApiKeyFormat.wellFormed("lk_" + "a".repeat(43)));
        assertNull(ApiKeyFormat.prefix("lk_" + "a".repeat(43)));
    }

    @Test
    void junkIsNotWellFormed() {
        assertFalse(ApiKeyFormat.wellFormed(null));
        assertFalse(ApiKeyFormat.wellFormed(""));
        assertFalse(ApiKeyFormat.wellFormed("hello"));
        assertFalse(ApiKeyFormat.wellFormed("lk_" + "a".repeat(42)));
        assertFalse(ApiKeyFormat.wellFormed("LK_" + "a".repeat(36) + "_aaaaaa"));
        assertFalse(ApiKeyFormat.wellFormed("x".repeat(10_000)));
        assertNull(ApiKeyFormat.prefix("hello"));
    }
}
