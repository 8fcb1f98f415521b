package dev.latchkey.tenant.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.common.auth.ApiKeyFormat;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.tenant.rest.Fixtures.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A caller of organization B gets 404, exactly as for an id that does not exist, for everything of organization
 * A, on every endpoint, whether it is B's owner, a token exchanged from B's API key or B's API key itself; and
 * nothing of A changes.
 */
@QuarkusTest
class IsolationTest {

    @Inject
    Pool pool;

    Fixtures fixtures;
    String a;
    Person aOwner;
    Person aMember;
    String aInvitation;
    String b;
    Person bOwner;
    String bKey;

    @BeforeEach
    void twoOrganizations() {
        FakeServices.healthy();
        SmtpServer.up();
        fixtures = new Fixtures(pool);
        a = fixtures.organization("A");
        aOwner = fixtures.member(a, "owner");
        aMember = fixtures.member(a, "member");
        aInvitation = Fixtures.as(Fixtures.user(aOwner, a, "owner")).body("{\"email\":\"a-guest@example.test\"}")
                .when().post("/v1/organizations/" + a + "/invitations").then().statusCode(201).extract().path("id");
        b = fixtures.organization("B");
        bOwner = fixtures.member(b, "owner");
        bKey = ApiKeyFormat.assemble("lk", Secrets.randomBase62(36));
        FakeServices.apiKey(bKey, UUID.randomUUID().toString(), b, "read_write");
    }

    /** Every endpoint that names an organization, aimed at {@code org}. */
    List<Function<RequestSpecification, Response>> endpoints(String org, String member, String invitation) {
        String base = "/v1/organizations/" + org;
        return List.of(
                r -> r.when().get(base),
                r -> r.body("{\"name\":\"taken over\"}").when().patch(base),
                r -> r.when().delete(base),
                r -> r.when().get(base + "/members"),
                r -> r.body("{\"role\":\"owner\"}").when().patch(base + "/members/" + member),
                r -> r.when().delete(base + "/members/" + member),
                r -> r.body("{\"email\":\"spy@example.test\",\"role\":\"owner\"}").when().post(base + "/invitations"),
                r -> r.when().get(base + "/invitations"),
                r -> r.when().delete(base + "/invitations/" + invitation),
                r -> r.when().get(base + "/audit"));
    }

    void everyEndpointIs404(RequestSpecificationSupplier caller) {
        List<Function<RequestSpecification, Response>> theirs = endpoints(a, aMember.id(), aInvitation);
        List<Function<RequestSpecification, Response>> unknown = endpoints(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), UUID.randomUUID().toString());
        for (int i = 0; i < theirs.size(); i++) {
            Response response = theirs.get(i).apply(caller.get());
            response.then().statusCode(404).body("code", equalTo("not_found"));
            assertEquals(unknown.get(i).apply(caller.get()).path("message"), (String) response.path("message"),
                    "another organization's resource answers exactly like one that does not exist (endpoint " + i + ")");
        }
    }

    interface RequestSpecificationSupplier {
        RequestSpecification get();
    }

    @Test
    void anotherOrganizationsOwner() {
        everyEndpointIs404(() -> Fixtures.as(Fixtures.user(bOwner, b, "owner")));
        Fixtures.as(Fixtures.user(bOwner, b, "owner")).when().delete("/v1/organizations/" + a + "/members/me")
                .then().statusCode(404).body("code", equalTo("not_found"));
        nothingOfAChanged();
    }

    @Test
    void anotherOrganizationsExchangedApiKeyToken() {
        everyEndpointIs404(() -> Fixtures.as(Fixtures.key(b, "read_write")));
        nothingOfAChanged();
    }

    @Test
    void anotherOrganizationsApiKeyItself() {
        everyEndpointIs404(() -> given().header("X-API-Key", bKey).contentType(ContentType.JSON));
        nothingOfAChanged();
    }

    void nothingOfAChanged() {
        assertEquals("member", fixtures.role(a, aMember.id()));
        assertEquals("owner", fixtures.role(a, aOwner.id()));
        assertEquals(1, fixtures.rows("select 1 from tenant.organizations where id = $1 and deleted_at is null"
                + " and name = 'A'", UUID.fromString(a)).size());
        assertEquals(1, fixtures.rows("select 1 from tenant.invitations where organization_id = $1 and revoked_at is null",
                UUID.fromString(a)).size());
        assertEquals(1, fixtures.rows("select 1 from tenant.invitations where organization_id = $1",
                UUID.fromString(a)).size(), "no invitation was made in A");
    }
}
