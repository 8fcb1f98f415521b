package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.keys.KeyEncryption;
import dev.latchkey.identity.service.SigningKeyService;
import dev.latchkey.testing.FakeLatchkey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(FakeLatchkey.class)
class WellKnownResourceTest {

    @Inject
    SigningKeyService keys;

    @Inject
    IdentityConfig config;

    @Inject
    Pool pool;

    @Test
    void jwksServesTheActiveEs256KeyWithCacheControl() {
        given().when().get("/.well-known/jwks.json")
                .then().statusCode(200)
                .header("Cache-Control", "public, max-age=300")
                .body("keys.kid", hasItem(keys.activeKey().kid()))
                .body("keys.find { it.kid == '" + keys.activeKey().kid() + "' }.alg", equalTo("ES256"))
                .body("keys.find { it.kid == '" + keys.activeKey().kid() + "' }.crv", equalTo("P-256"))
                .body("keys.find { it.kid == '" + keys.activeKey().kid() + "' }.use", equalTo("sig"))
                .body(not(containsString("\"d\"")));
    }

    @Test
    void discoveryPointsAtTheJwksAndTokenEndpoint() {
        given().when().get("/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("issuer", equalTo(IdentityTokens.ISSUER))
                .body("jwks_uri", equalTo(IdentityTokens.ISSUER + "/.well-known/jwks.json"))
                .body("token_endpoint", equalTo(IdentityTokens.ISSUER + "/v1/oauth/token"))
                .body("id_token_signing_alg_values_supported", hasItem("ES256"));
    }

    @Test
    void theStoredPrivateKeyIsEncryptedUnderTheKek() {
        String kid = keys.activeKey().kid();
        Row row = pool.preparedQuery("select private_key_enc from identity.signing_keys where kid = $1")
                .execute(Tuple.of(kid)).await().indefinitely().iterator().next();
        byte[] stored = row.getBuffer("private_key_enc").getBytes();
        byte[] pkcs8 = keys.activeKey().privateKey().getEncoded();
        assertFalse(Arrays.equals(stored, pkcs8));
        assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
                        java.nio.charset.StandardCharsets.ISO_8859_1)), "the private scalar is not stored in clear");
        assertEquals(Arrays.toString(pkcs8),
                Arrays.toString(KeyEncryption.fromBase64(config.kek()).decrypt(stored, kid)));
    }

    @Test
    void reloadingKeepsTheSameSigningKeyLikeARestart() {
        String before = keys.activeKey().kid();
        keys.maintain().await().indefinitely();
        assertEquals(before, keys.activeKey().kid());
        given().when().get("/.well-known/jwks.json").then().body("keys", hasSize(
                pool.query("select count(*) from identity.signing_keys where status <> 'RETIRED'").execute()
                        .await().indefinitely().iterator().next().getInteger(0)));
    }
}
