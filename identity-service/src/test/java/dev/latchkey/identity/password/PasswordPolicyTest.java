package dev.latchkey.identity.password;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy(12, Set.of("qwertyuiopasdfgh", "iloveyou12345"), 3);

    @Test
    void aLongUnguessablePassphrasePasses() {
        assertNull(policy.refusal("correct horse battery staple", "ada@example.com", "Ada"));
    }

    @Test
    void shortPasswordsAreRefusedByLengthInCharactersNotBytes() {
        assertTrue(policy.refusal("short", "a@b.co", null).contains("at least 12"));
        // 12 characters of which some are outside ASCII: long enough.
        String twelve = "ünïcödé-çhår";
        assertTrue(twelve.codePointCount(0, twelve.length()) == 12);
        String refusal = policy.refusal(twelve, "a@b.co", null);
        assertTrue(refusal == null || !refusal.contains("at least"), refusal);
    }

    @Test
    void listedPasswordsAreRefusedWhateverTheirCase() {
        assertNotNull(policy.refusal("QwertyuiopASDFGH", "a@b.co", null));
    }

    @Test
    void thePasswordMayNotContainTheAddress() {
        assertTrue(policy.refusal("margaret.hamilton-1969", "margaret.hamilton@nasa.gov", null).contains("email"));
    }

    @Test
    void guessablePasswordsAreRefusedWithAHint() {
        String refusal = policy.refusal("aaaaaaaaaaaaaaaa", "a@b.co", null);
        assertTrue(refusal.contains("too easy to guess"), refusal);
    }

    @Test
    void overlongPasswordsAreRefused() {
        assertTrue(policy.refusal("x".repeat(257), "a@b.co", null).contains("at most"));
    }
}
