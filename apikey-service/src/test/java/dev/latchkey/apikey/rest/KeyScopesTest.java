package dev.latchkey.apikey.rest;

import static dev.latchkey.apikey.rest.Fixtures.apiKey;
import static dev.latchkey.apikey.rest.Fixtures.bearer;
import static dev.latchkey.apikey.rest.Fixtures.create;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.apikey.rest.Fixtures.Org;
import dev.latchkey.testing.FakeLatchkey;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A key's {@code scopes} never exceed its creator's (issue 23): a token issued to an OAuth client may put on a key
 * only scopes within its own {@code scope}, so a client allowed {@code api_keys:write} cannot mint a key carrying
 * Latchkey scopes the person never granted it; a key may pass on only the Latchkey scopes it holds; a person's
 * first-party token may grant any scope but the services' {@code internal:} ones.
 */
@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class KeyScopesTest {

    @BeforeEach
    void tenantUp() {
        Fixtures.tenantAcceptsAudit();
    }

    /** An owner's token issued to OAuth client {@code evil-app} with {@code scopes}. */
    static String clientToken(Org org, String... scopes) {
        return TestTokens.access(org.id(), scopes).user(org.ownerId(), "sid-" + UUID.randomUUID()).roles("owner")
                .claim("client_id", "evil-app").sign();
    }

    static String body(String scope) {
        return "{\"name\":\"k\",\"scopes\":[\"" + scope + "\"]}";
    }

    @Nested
    class AClientToken {

        @Test
        void mayNotGrantALatchkeyScopeItDoesNotHold() {
            Org org = Fixtures.org();
            String client = clientToken(org, "openid", "api_keys:write");
            for (String scope : List.of("sessions", "organizations:write", "organizations:read", "account")) {
                bearer(client).body(body(scope)).post("/v1/api-keys").then().statusCode(403)
                        .body("code", equalTo("scope_insufficient"));
            }
        }

        @Test
        void mayNotGrantAScopeOutsideItsOwn() {
            Org org = Fixtures.org();
            bearer(clientToken(org, "openid", "api_keys:write")).body(body("projects:read")).post("/v1/api-keys")
                    .then().statusCode(403).body("code", equalTo("scope_insufficient"));
        }

        @Test
        void mayGrantWhatItHolds() {
            Org org = Fixtures.org();
            String client = clientToken(org, "api_keys:write", "projects:read");
            create(client, "{\"name\":\"k\",\"scopes\":[\"projects:read\",\"api_keys:write\"]}");
            create(client, "{\"name\":\"k\"}");
        }

        @Test
        void mayNotRotateAKeyCarryingScopesItDoesNotHold() {
            Org org = Fixtures.org();
            String id = create(org.owner(), body("sessions")).getString("id");
            bearer(clientToken(org, "api_keys:write")).body("{}").post("/v1/api-keys/" + id + "/rotate").then()
                    .statusCode(403).body("code", equalTo("scope_insufficient"));
        }

        @Test
        void withoutApiKeysWriteCannotCreateAtAll() {
            Org org = Fixtures.org();
            bearer(clientToken(org, "openid", "organizations:write")).body("{\"name\":\"k\"}").post("/v1/api-keys")
                    .then().statusCode(403).body("code", equalTo("scope_insufficient"))
                    .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_scope\", scope=\"api_keys:write\""));
        }
    }

    @Nested
    class AFirstPartyPerson {

        @Test
        void mayGrantAnyScopeButTheServicesOwn() {
            Org org = Fixtures.org();
            create(org.owner(), "{\"name\":\"k\",\"scopes\":[\"sessions\",\"organizations:write\",\"projects:read\"]}");
            bearer(org.owner()).body(body("internal:admin")).post("/v1/api-keys").then().statusCode(400)
                    .body("code", equalTo("validation_failed"));
        }
    }

    @Nested
    class AKey {

        @Test
        void mayPassOnOnlyTheLatchkeyScopesItHolds() {
            Org org = Fixtures.org();
            String key = create(org.owner(), "{\"name\":\"k\",\"scopes\":[\"sessions\"]}").getString("key");
            apiKey(key).body(body("organizations:write")).post("/v1/api-keys").then().statusCode(403)
                    .body("code", equalTo("scope_insufficient"));
            create(key, "{\"name\":\"k\",\"scopes\":[\"sessions\",\"projects:read\"]}");
        }
    }
}
