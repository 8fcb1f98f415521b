package dev.latchkey.identity.support;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Signs people up and in over HTTP, as a front end would. */
public final class People {

    public static final String PASSWORD = "correct horse battery staple 42";

    private People() {
    }

    public static String newEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    public static ValidatableResponse register(String email, String password, String name) {
        return given().contentType(ContentType.JSON)
                .body("{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"" + name + "\"}")
                .when().post("/v1/auth/register").then();
    }

    public static ValidatableResponse login(String email, String password) {
        return given().contentType(ContentType.JSON).body("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .when().post("/v1/auth/login").then();
    }

    public static ValidatableResponse refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body("{\"refresh_token\":\"" + refreshToken + "\"}")
                .when().post("/v1/auth/refresh").then();
    }

    /** A registered account that has signed in: its email, user id and the sign-in response. */
    public record SignedIn(String email, String userId, JsonPath tokens) {
        public String accessToken() {
            return tokens.getString("access_token");
        }

        public String refreshToken() {
            return tokens.getString("refresh_token");
        }

        public String sessionId() {
            return tokens.getString("session_id");
        }

        public String bearer() {
            return "Bearer " + accessToken();
        }
    }

    public static SignedIn signedIn() {
        String email = newEmail();
        String userId = register(email, PASSWORD, "Ada").statusCode(201).extract().path("id");
        JsonPath tokens = login(email, PASSWORD).statusCode(200).extract().jsonPath();
        return new SignedIn(email, userId, tokens);
    }

    /** Another sign-in of the same account: a second session. */
    public static SignedIn again(SignedIn who) {
        return new SignedIn(who.email(), who.userId(), login(who.email(), PASSWORD).statusCode(200).extract().jsonPath());
    }
}
