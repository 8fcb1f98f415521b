package dev.latchkey.e2e.fuzz;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.e2e.Suite;
import dev.latchkey.e2e.fuzz.OpenApi.Operation;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A token issued to a third-party OAuth client opens only what its scopes name (issue 23): presented to every
 * operation of the four running services' OpenAPI documents that asks for credentials (so a new endpoint is covered
 * the day it is added), it is refused (401 or 403, never 2xx) everywhere but the operations its scopes open. With
 * OpenID Connect's {@code openid profile email offline_access} that is userinfo alone; with {@code sessions} the
 * sessions endpoints, which then answer 2xx.
 */
class ClientTokenRefusalTest {

    static final String PASSWORD = "relying party correct horse staple";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The operations OpenID Connect's scopes open: userinfo. */
    static final Predicate<Operation> USERINFO = op -> op.service().equals("identity-service")
            && op.path().equals("/v1/oauth/userinfo");
    /** The operations {@code sessions} opens. */
    static final Predicate<Operation> SESSIONS = op -> op.service().equals("identity-service")
            && op.path().startsWith("/v1/sessions");

    static String email;
    static String organizationId;
    static ThirdPartyClient client;
    static List<Operation> secured;
    /** The fuzz suite's valid requests (bodies, parameters), whose credentials are swapped for the client's token. */
    static Map<String, Cases> requests;

    @BeforeAll
    static void aPersonAndARelyingParty() throws Exception {
        Suite suite = Suite.shared();
        String operator = given().auth().preemptive().basic("operator", suite.secret("LATCHKEY_OPERATOR_CLIENT_SECRET"))
                .formParam("grant_type", "client_credentials").when().post(ThirdPartyClient.IDENTITY + "/v1/oauth/token")
                .then().statusCode(200).extract().path("access_token");
        client = new ThirdPartyClient(operator);
        email = "rp-" + UUID.randomUUID() + "@example.com";
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD, "name", "Ada"))
                .when().post(ThirdPartyClient.IDENTITY + "/v1/auth/register").then().statusCode(201);
        organizationId = given().auth().oauth2(signIn().getString("access_token")).when()
                .get(ThirdPartyClient.IDENTITY + "/v1/me").then().statusCode(200).extract().path("organization.id");
        Fixture fixture = Fixture.create(suite, JSON);
        secured = new ArrayList<>();
        requests = new java.util.HashMap<>();
        for (Map.Entry<String, Integer> service : Suite.SERVICES.entrySet()) {
            List<Operation> operations = OpenApi.load(service.getKey(), service.getValue(), JSON);
            Map<String, Set<String>> methodsByPath = operations.stream().collect(Collectors.groupingBy(Operation::path,
                    Collectors.mapping(Operation::method, Collectors.toSet())));
            for (Operation op : operations) {
                if (op.secured()) {
                    secured.add(op);
                    requests.put(op.key(), new Cases(op, methodsByPath.get(op.path()), fixture, JSON));
                }
            }
        }
        assertTrue(secured.size() > 30, "too few operations ask for credentials: " + secured.size());
    }

    static JsonPath signIn() {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).when()
                .post(ThirdPartyClient.IDENTITY + "/v1/auth/login").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void withOpenIdConnectsScopesTheClientReachesUserinfoAndNothingElse() throws Exception {
        String token = client.grant(email, PASSWORD, organizationId, "openid profile email offline_access")
                .getString("access_token");
        List<String> wrong = new ArrayList<>();
        for (Operation op : secured) {
            int status = refusable(op, token);
            boolean opened = USERINFO.test(op);
            if (opened ? status != 200 : status != 401 && status != 403) {
                wrong.add(op.key() + " answered " + status);
            }
        }
        assertEquals(List.of(), wrong, "of " + secured.size() + " operations");
    }

    @Test
    void withSessionsTheClientReachesTheSessionsEndpointsAndNothingElse() throws Exception {
        String token = client.grant(email, PASSWORD, organizationId, "openid sessions").getString("access_token");
        List<String> wrong = new ArrayList<>();
        for (Operation op : secured) {
            if (SESSIONS.test(op)) {
                continue;
            }
            int status = refusable(op, token);
            if (USERINFO.test(op) ? status != 200 : status != 401 && status != 403) {
                wrong.add(op.key() + " answered " + status);
            }
        }
        // Reads first; then ending one session (another sign-in of the person's), then all but this one.
        List<Operation> sessions = secured.stream().filter(SESSIONS)
                .sorted(Comparator.comparing((Operation op) -> !op.method().equals("GET"))
                        .thenComparing(op -> op.in("path").isEmpty()))
                .toList();
        assertTrue(sessions.size() >= 3, sessions.toString());
        for (Operation op : sessions) {
            int status = send(op, token, signIn().getString("session_id"));
            if (status < 200 || status > 299) {
                wrong.add(op.key() + " answered " + status);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * The fuzz suite's valid request for {@code op} (its first case), with {@code token} as its only credential: what
     * a client would send, so that only the credential can be why it is refused.
     */
    static int refusable(Operation op, String token) throws Exception {
        Cases.Case valid = requests.get(op.key()).generate(op.key().hashCode(), 0);
        assertEquals(Cases.Category.VALID, valid.category());
        List<RawHttp.Header> headers = new ArrayList<>(valid.request().headers().stream()
                .filter(h -> !Set.of("authorization", "x-api-key", "accept").contains(h.name().toLowerCase()))
                .toList());
        headers.add(new RawHttp.Header("Authorization", "Bearer " + token));
        RawHttp.Response answer = OpenApiFuzzTest.sendPatiently(op.port(), new RawHttp.Request(valid.request().method(),
                valid.request().target(), headers, valid.request().body(), valid.request().contentLength()));
        return answer == null ? 0 : answer.status();
    }

    /** {@code op} with {@code token}: path parameters filled in, a body of its media type, boolean queries true. */
    static int send(Operation op, String token, String pathValue) throws Exception {
        String path = op.path();
        for (OpenApi.Param p : op.in("path")) {
            String value = pathValue != null ? pathValue
                    : p.name().equals("id") && path.startsWith("/v1/organizations") ? organizationId
                            : UUID.randomUUID().toString();
            path = path.replace("{" + p.name() + "}", value);
        }
        StringBuilder query = new StringBuilder();
        for (OpenApi.Param p : op.in("query")) {
            if ("boolean".equals(p.schema().path("type").asText())) {
                query.append(query.isEmpty() ? '?' : '&').append(p.name()).append("=true");
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Suite.url(op.port()) + path + query))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        String type = op.hasBody() ? op.mediaTypes().get(0) : null;
        if (type == null) {
            request.method(op.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            String contentType = type.contains("*") ? "application/json" : type;
            String body = op.takesForm() ? "x=y" : contentType.contains("json") ? "{}" : "x";
            request.header("Content-Type", contentType).method(op.method(), HttpRequest.BodyPublishers.ofString(body));
        }
        // Only the status: an event stream opened by mistake would otherwise never end.
        HttpResponse<java.io.InputStream> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        answer.body().close();
        return answer.statusCode();
    }
}
