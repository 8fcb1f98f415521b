package dev.latchkey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Behind an edge, every request comes from the edge: identity believes {@code X-Forwarded-For} from the proxies
 * in {@code latchkey.identity.trusted-proxies} (127.0.0.250 in tests) and from nobody else, so the sign-in and
 * user-code limits count people, not the edge, and a forged header moves no limit.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class ClientAddressTest {

    static final String TRUSTED_PROXY = "127.0.0.250";

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    @Test
    void aTrustedProxysForwardedAddressIsTheClients() {
        String email = People.newEmail();
        People.register(email, People.PASSWORD, "Ada").statusCode(201);
        String token = signInFrom(TRUSTED_PROXY, email, "198.51.100.7, 203.0.113.9");
        // The right-most address the proxy appended: the one the client could not have written itself.
        given().header("Authorization", "Bearer " + token).when().get("/v1/sessions")
                .then().statusCode(200).body("sessions[0].address", equalTo("203.0.113.9"));
    }

    @Test
    void anyoneElsesForwardedForIsIgnored() {
        String email = People.newEmail();
        People.register(email, People.PASSWORD, "Ada").statusCode(201);
        String peer = Browser.newLoopbackAddress();
        String token = signInFrom(peer, email, "203.0.113.9");
        given().header("Authorization", "Bearer " + token).when().get("/v1/sessions")
                .then().statusCode(200).body("sessions[0].address", equalTo(peer));
    }

    private static String signInFrom(String localAddress, String email, String forwardedFor) {
        return given().config(Browser.sentFrom(localAddress)).header("X-Forwarded-For", forwardedFor)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"" + email + "\",\"password\":\"" + People.PASSWORD + "\"}")
                .when().post("/v1/auth/login").then().statusCode(200).extract().path("access_token");
    }
}
