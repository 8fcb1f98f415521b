package dev.latchkey.webhook.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import dev.latchkey.testing.ResourceRules;

/** A client hanging up mid-request never cancels database work (see {@link ResourceRules}). */
class ResourceRulesTest {

    @Test
    void everyResourceRunsToCompletionWhenTheClientHangsUp() {
        assertFalse(ResourceRules.assertEveryResourceRunsToCompletion("dev.latchkey.webhook.rest").isEmpty());
    }
}
