package dev.latchkey.identity.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8707 resource indicators and OpenID Connect's prompt/max_age, without Quarkus. */
class ResourceAndPromptTest {

    static final String API = "https://api.example.com/";
    static final String URN = "urn:example:ledger";

    @Nested
    class Registration {

        @ParameterizedTest
        @ValueSource(strings = { API, URN, "https://api.example.com/v1?tenant=a", "http://127.0.0.1:8080/" })
        void absoluteUrisWithoutAFragmentAreAccepted(String uri) {
            assertNull(ResourceIndicators.registrationRefusal(uri));
        }

        @ParameterizedTest
        @ValueSource(strings = { "api", "/v1", "//api.example.com/", "https:", "https://api.example.com/#x",
                "https://api.example.com/#", "https://exa mple.com/", "https:///path" })
        void anythingElseIsRefused(String uri) {
            assertNotNull(ResourceIndicators.registrationRefusal(uri), uri);
        }
    }

    @Nested
    class Targets {

        @Test
        void noneAskedIsLatchkeysAudienceAndSoIsLatchkeysOwnName() {
            assertEquals(new ResourceIndicators.Target(null, null), ResourceIndicators.target(List.of(), List.of(),
                    List.of(), "latchkey"));
            assertEquals(new ResourceIndicators.Target(null, null), ResourceIndicators.target(List.of("latchkey"),
                    List.of(), List.of(), "latchkey"));
        }

        @Test
        void oneRegisteredAndGrantedResourceIsTheAudience() {
            assertEquals(API, ResourceIndicators.target(List.of(API), List.of(API, URN), List.of(API), "latchkey")
                    .audience());
            // Client credentials: no authorization request, the registration is the limit.
            assertEquals(URN, ResourceIndicators.target(List.of(URN), List.of(URN), null, "latchkey").audience());
            // The same one twice is still one.
            assertEquals(API, ResourceIndicators.target(List.of(API, API), List.of(API), List.of(API), "latchkey")
                    .audience());
        }

        @Test
        void severalUnregisteredOrUngrantedAreRefused() {
            assertNotNull(ResourceIndicators.target(List.of(API, URN), List.of(API, URN), List.of(API, URN),
                    "latchkey").refusal());
            assertNotNull(ResourceIndicators.target(List.of(API), List.of(URN), List.of(API), "latchkey").refusal());
            assertNotNull(ResourceIndicators.target(List.of(URN), List.of(API, URN), List.of(API), "latchkey")
                    .refusal());
            // Exact comparison: no normalisation to play with.
            assertNotNull(ResourceIndicators.target(List.of("https://API.example.com/"), List.of(API), null,
                    "latchkey").refusal());
        }

        @Test
        void anAuthorizationRequestMayNameSeveralRegisteredOnes() {
            assertNull(ResourceIndicators.requestRefusal(List.of(API, URN), List.of(API, URN)));
            assertNotNull(ResourceIndicators.requestRefusal(List.of(API, "https://other.example/"), List.of(API)));
            String refusal = ResourceIndicators.requestRefusal(List.of("x\u0000y"), List.of(API));
            assertFalse(refusal.contains("\u0000"), refusal);
        }
    }

    @Nested
    class Prompts {

        @Test
        void noneAloneLoginAndMaxAge() {
            assertTrue(Prompt.of("none", null).none());
            assertTrue(Prompt.of("login consent", null).login());
            assertNull(Prompt.refusal("login consent", "0"));
            assertNotNull(Prompt.refusal("none login", null));
            assertNotNull(Prompt.refusal(null, "-1"));
            assertNotNull(Prompt.refusal(null, "1.5"));
            assertNotNull(Prompt.refusal(null, ""));
            assertNotNull(Prompt.refusal(null, "99999999999"));
        }

        @Test
        void maxAgeJudgesTheSignInTime() {
            Instant now = Instant.parse("2026-12-08T12:00:00Z");
            Prompt hour = Prompt.of(null, "3600");
            assertFalse(hour.tooOld(now.minusSeconds(3600), now));
            assertTrue(hour.tooOld(now.minusSeconds(3601), now));
            assertFalse(Prompt.of(null, null).tooOld(now.minusSeconds(999_999), now));
        }
    }
}
