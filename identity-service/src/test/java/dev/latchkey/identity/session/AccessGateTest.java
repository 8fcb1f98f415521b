package dev.latchkey.identity.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AccessGateTest {

    @Test
    void offAdmitsEveryone() {
        assertTrue(new AccessGate(false, List.of()).admits("anyone@anywhere.example"));
    }

    @Test
    void onAdmitsListedAddressesAndDomainsOnly() {
        AccessGate gate = new AccessGate(true, List.of(" VIP@Example.com ", "alpha.example", "@beta.example"));
        assertTrue(gate.admits("vip@example.com"));
        assertTrue(gate.admits("x@alpha.example"));
        assertTrue(gate.admits("y@beta.example"));
        assertFalse(gate.admits("other@example.com"));
        assertFalse(gate.admits("x@sub.alpha.example"));
        assertFalse(gate.admits("x@alpha.example.evil"));
        assertFalse(gate.admits(null));
    }
}
