package dev.latchkey.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.List;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.latchkey.testing.ThirdPartyVerifier;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The README's walkthrough, over HTTP, against the four services running as separate processes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstFlowTest {

    static final String IDENTITY = Suite.url(Suite.IDENTITY);
    static final String APIKEY = Suite.url(Suite.APIKEY);
    static final String TENANT = Suite.url(Suite.TENANT);

    static Suite suite;
    static String organizationId;
    static String apiKey;
    static String accessToken;

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
    }

    static JsonPath createTenant(String name) {
        return given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post(TENANT + "/v1/tenants")
                .then().statusCode(201).extract().jsonPath();
    }

    static String exchange(String key) {
        return given().contentType(ContentType.JSON).body("{\"api_key\":\"" + key + "\"}")
                .when().post(IDENTITY + "/v1/auth/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .extract().path("access_token");
    }

    static JwtClaims verifyWithJose4j(String token) throws InvalidJwtException {
        return ThirdPartyVerifier.verify(given().when().get(IDENTITY + "/.well-known/jwks.json").asString(), IDENTITY,
                token);
    }

    @Test
    @Order(1)
    void creatingATenantReturnsItsIdAndItsFirstKeyOnce() {
        JsonPath created = createTenant("my-project");
        organizationId = created.getString("organization.id");
        apiKey = created.getString("api_key.key");
        assertNotNull(organizationId);
        assertEquals("lk_", apiKey.substring(0, 3));
    }

    @Test
    @Order(2)
    void theKeyIsExchangedForAnEs256AccessToken() throws Exception {
        accessToken = exchange(apiKey);
        JwtClaims claims = verifyWithJose4j(accessToken);
        assertEquals(IDENTITY, claims.getIssuer());
        assertEquals(List.of("latchkey"), claims.getAudience());
        assertEquals(organizationId, claims.getStringClaimValue("tenant_id"));
        assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertNotNull(claims.getJwtId());
        assertNotNull(claims.getStringClaimValue("scope"));
        assertEquals(true, claims.getSubject().startsWith("apikey:"));
        JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(accessToken);
        assertEquals("ES256", jws.getAlgorithmHeaderValue());
        given().when().get(IDENTITY + "/.well-known/jwks.json").then().body("keys[0].kid", equalTo(jws.getKeyIdHeaderValue()));
    }

    @Test
    @Order(3)
    void theTokenReadsItsOwnOrganization() {
        given().header("Authorization", "Bearer " + accessToken)
                .when().get(TENANT + "/v1/organizations/" + organizationId)
                .then().statusCode(200).body("id", equalTo(organizationId)).body("name", equalTo("my-project"));
    }

    @Test
    @Order(4)
    void withoutATokenIs401() {
        given().when().get(TENANT + "/v1/organizations/" + organizationId)
                .then().statusCode(401).body("code", equalTo("auth_required"));
    }

    @Test
    @Order(5)
    void anotherOrganizationsTokenIs404() {
        String otherKey = createTenant("someone-else").getString("api_key.key");
        given().header("Authorization", "Bearer " + exchange(otherKey))
                .when().get(TENANT + "/v1/organizations/" + organizationId)
                .then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    @Order(6)
    void forgedTokensAre401() {
        String[] parts = accessToken.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
        String otherTenant = claims.replace(organizationId, "00000000-0000-0000-0000-000000000000");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(otherTenant.getBytes())
                + "." + parts[2];
        String algNone = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + parts[1] + ".";
        String wrongSignature = parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        for (String forged : List.of(tampered, algNone, wrongSignature)) {
            given().header("Authorization", "Bearer " + forged)
                    .when().get(TENANT + "/v1/organizations/" + organizationId)
                    .then().statusCode(401).body("code", equalTo("auth_required"));
        }
        assertThrows(InvalidJwtException.class, () -> verifyWithJose4j(tampered));
    }

    @Test
    @Order(7)
    void aWrongApiKeyGetsNoToken() {
        given().contentType(ContentType.JSON).body("{\"api_key\":\"lk_" + "x".repeat(43) + "\"}")
                .when().post(IDENTITY + "/v1/auth/token")
                .then().statusCode(401).body("code", equalTo("invalid_api_key"));
    }

    @Test
    @Order(8)
    void internalEndpointsRefuseEverythingButServiceTokens() {
        String body = "{\"key\":\"" + apiKey + "\"}";
        given().contentType(ContentType.JSON).body(body).when().post(APIKEY + "/internal/v1/keys/verify")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).body(body).header("Authorization", "Bearer " + accessToken)
                .when().post(APIKEY + "/internal/v1/keys/verify")
                .then().statusCode(403).body("code", equalTo("access_denied"));
        // A service token without internal:apikeys.verify (the operator's) is refused too.
        String operatorToken = given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "operator")
                .formParam("client_secret", suite.secret("LATCHKEY_OPERATOR_CLIENT_SECRET"))
                .when().post(IDENTITY + "/v1/oauth/token").then().statusCode(200).extract().path("access_token");
        given().contentType(ContentType.JSON).body(body).header("Authorization", "Bearer " + operatorToken)
                .when().post(APIKEY + "/internal/v1/keys/verify")
                .then().statusCode(403);
        given().formParam("grant_type", "client_credentials").formParam("client_id", "tenant-service")
                .formParam("client_secret", "guess").when().post(IDENTITY + "/v1/oauth/token")
                .then().statusCode(401).body("code", equalTo("invalid_client"));
    }

    @Test
    @Order(9)
    void everyServiceAnswersUnknownRoutesWithTheErrorBody() {
        for (int port : new int[] { Suite.IDENTITY, Suite.APIKEY, Suite.WEBHOOK, Suite.TENANT }) {
            given().when().get(Suite.url(port) + "/no/such/route")
                    .then().statusCode(404).contentType(ContentType.JSON).body("code", equalTo("not_found"));
        }
    }

    @Test
    @Order(11)
    void inProductionIdentityRefusesToStartWithoutItsKeyEncryptionKey() throws Exception {
        Suite.Refusal refusal = suite.startWithout("identity-service", "LATCHKEY_IDENTITY_KEK");
        assertNotEquals(0, refusal.exitCode(), refusal.log());
        assertTrue(refusal.log().contains("LATCHKEY_IDENTITY_KEK"), refusal.log());
        assertFalse(refusal.log().contains(suite.secret("LATCHKEY_TENANT_SERVICE_CLIENT_SECRET")),
                "no secret in the log");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "tenant-service, LATCHKEY_TENANT_SERVICE_CLIENT_SECRET",
            "apikey-service, LATCHKEY_APIKEY_SERVICE_CLIENT_SECRET",
            "webhook-gateway, LATCHKEY_WEBHOOK_GATEWAY_CLIENT_SECRET" })
    @Order(12)
    void inProductionEveryServiceRefusesToStartWithoutItsClientSecret(String service, String secret) throws Exception {
        Suite.Refusal refusal = suite.startWithout(service, secret);
        assertNotEquals(0, refusal.exitCode(), refusal.log());
        assertTrue(refusal.log().contains(secret), refusal.log());
    }

    @Test
    @Order(10)
    void restartingIdentityKeepsTheSigningKeySoEarlierTokensStillVerify() throws Exception {
        String kidBefore = given().when().get(IDENTITY + "/.well-known/jwks.json").then().extract().path("keys[0].kid");
        suite.restart("identity-service");
        given().when().get(IDENTITY + "/.well-known/jwks.json").then().body("keys[0].kid", equalTo(kidBefore));
        verifyWithJose4j(accessToken);
        given().header("Authorization", "Bearer " + accessToken)
                .when().get(TENANT + "/v1/organizations/" + organizationId).then().statusCode(200);
        String fresh = exchange(apiKey);
        given().header("Authorization", "Bearer " + fresh)
                .when().get(TENANT + "/v1/organizations/" + organizationId)
                .then().statusCode(200).body("name", startsWith("my-project"));
    }
}
