package dev.latchkey.e2e.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.e2e.Suite;

/**
 * The two inputs that answered 500 before (issue 5), against the built services: a NUL in a field that is
 * stored, and a form body that is not valid URL encoding or not UTF-8. Each must be a 400 with the error
 * body naming the field, and nothing may be stored.
 */
class BadInputRegressionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static Suite suite;

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = Suite.shared();
    }

    static RawHttp.Response post(int port, String path, String contentType, byte[] body) throws Exception {
        RawHttp.Response answer = RawHttp.send(port,
                new RawHttp.Request("POST", path, List.of(new RawHttp.Header("Content-Type", contentType)), body, true));
        assertNotNull(answer, "no answer");
        return answer;
    }

    static void isError(RawHttp.Response answer, int status, String code, String message) throws Exception {
        assertEquals(status, answer.status(), answer.text());
        assertEquals("application/json", answer.header("Content-Type").split(";")[0]);
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(code, body.path("code").asText(), answer.text());
        assertEquals(message, body.path("message").asText(), answer.text());
        assertNotNull(body.get("request_id"));
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static int organizationsNamed(String name) throws Exception {
        String jdbc = "jdbc:postgresql://" + Suite.DB_HOST + ":" + Suite.DB_PORT + "/" + Suite.DB;
        try (Connection connection = DriverManager.getConnection(jdbc, Suite.DB_USER, Suite.DB_PASSWORD);
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from tenant.organizations where name like ?")) {
            count.setString(1, name + "%");
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Test
    void aNulInAnOrganizationNameIs400NamingTheFieldAndNothingIsStored() throws Exception {
        isError(post(Suite.TENANT, "/v1/tenants", "application/json", ascii("{\"name\":\"nul-regression\\u0000b\"}")),
                400, "validation_failed", "Field 'name' contains a control character");
        isError(post(Suite.TENANT, "/v1/tenants", "application/json", ascii("{\"name\":\"nul-regression\\ud800\"}")),
                400, "validation_failed", "Field 'name' contains an unpaired surrogate");
        assertEquals(0, organizationsNamed("nul-regression"));
    }

    @Test
    void aFormBodyThatIsNotUrlEncodingIs400NamingTheField() throws Exception {
        String form = "application/x-www-form-urlencoded";
        isError(post(Suite.IDENTITY, "/v1/oauth/token", form,
                ascii("grant_type=client_credentials&client_id=%zz&client_secret=x")),
                400, "invalid_encoding", "Form field 'client_id' is not valid percent-encoded UTF-8");
        isError(post(Suite.IDENTITY, "/v1/oauth/token", form,
                ascii("grant_type=client_credentials&client_id=tenant-service&client_secret=x%")),
                400, "invalid_encoding", "Form field 'client_secret' is not valid percent-encoded UTF-8");
    }

    @Test
    void aFormBodyThatIsNotUtf8Is400() throws Exception {
        String form = "application/x-www-form-urlencoded";
        isError(post(Suite.IDENTITY, "/v1/oauth/token", form,
                ascii("grant_type=client_credentials&client_id=%ff%fe&client_secret=x")),
                400, "invalid_encoding", "Form field 'client_id' is not valid percent-encoded UTF-8");
        byte[] raw = "grant_type=client_credentials&client_id=\u00ff\u00fe&client_secret=x"
                .getBytes(StandardCharsets.ISO_8859_1); // the bytes FF FE, unescaped
        isError(post(Suite.IDENTITY, "/v1/oauth/token", form, raw),
                400, "invalid_encoding", "The form body is not valid percent-encoded UTF-8");
        isError(post(Suite.IDENTITY, "/v1/oauth/token", form,
                ascii("grant_type=client_credentials&client_id=a%00b&client_secret=x")),
                400, "validation_failed", "Field 'client_id' contains a control character");
    }

    @Test
    void wellFormedFormsStillGetTokensAlsoWhenDeclaredLatin1AsCommonClientsDo() throws Exception {
        String secret = java.net.URLEncoder.encode(suite.secret("LATCHKEY_TENANT_SERVICE_CLIENT_SECRET"),
                StandardCharsets.UTF_8);
        byte[] body = ascii("grant_type=client_credentials&client_id=tenant-service&client_secret=" + secret);
        for (String type : List.of("application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=ISO-8859-1")) {
            RawHttp.Response answer = post(Suite.IDENTITY, "/v1/oauth/token", type, body);
            assertEquals(200, answer.status(), answer.text());
        }
    }

    @Test
    void aJsonBodyInAnotherCharsetIs415AndBytesThatAreNotUtf8Are400() throws Exception {
        isError(post(Suite.TENANT, "/v1/tenants", "application/json; charset=latin1", ascii("{\"name\":\"x\"}")),
                415, "unsupported_media_type", "Send the request body in UTF-8: charset=utf-8, or no charset");
        isError(post(Suite.TENANT, "/v1/tenants", "application/json; charset=bogus", ascii("{\"name\":\"x\"}")),
                415, "unsupported_media_type", "Send the request body in UTF-8: charset=utf-8, or no charset");
        isError(post(Suite.TENANT, "/v1/tenants", "application/json",
                new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}' }),
                400, "invalid_encoding", "The request body is not well-formed UTF-8");
    }
}
