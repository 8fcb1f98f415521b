package dev.latchkey.tenant.rest;

import static dev.latchkey.tenant.rest.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.latchkey.tenant.rest.Fixtures.Person;
import dev.latchkey.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/** Organizations as people use them: create, rename, change the slug, delete, list one's own for the switcher. */
@QuarkusTest
class OrganizationLifecycleTest {

    @Inject
    Pool pool;

    Fixtures fixtures;

    @BeforeEach
    void services() {
        FakeServices.healthy();
        fixtures = new Fixtures(pool);
    }

    /** A person with a personal-looking home organization, as if signed in there as its owner. */
    String signedIn(Person person) {
        String home = fixtures.organization("home");
        fixtures.join(person, home, "owner");
        return Fixtures.user(person, home, "owner");
    }

    @Nested
    class Create {

        @Test
        void returns201WithTheSlugMadeFromTheNameAndTheOwnerRole() {
            Person ada = Person.fresh();
            String token = signedIn(ada);
            String unique = UUID.randomUUID().toString().substring(0, 8);
            String id = as(token).body("{\"name\":\"Ächt Cool " + unique + "!\"}")
                    .when().post("/v1/organizations")
                    .then().statusCode(201)
                    .header("Location", containsString("/v1/organizations/"))
                    .body("slug", equalTo("acht-cool-" + unique))
                    .body("role", equalTo("owner")).body("personal", equalTo(false))
                    .extract().path("id");
            assertEquals("owner", fixtures.role(id, ada.id()));
        }

        @Test
        void aTakenGeneratedSlugGetsASuffix() {
            String token = signedIn(Person.fresh());
            String name = "Twin " + UUID.randomUUID().toString().substring(0, 8);
            String first = as(token).body("{\"name\":\"" + name + "\"}").when().post("/v1/organizations")
                    .then().statusCode(201).extract().path("slug");
            as(token).body("{\"name\":\"" + name + "\"}").when().post("/v1/organizations")
                    .then().statusCode(201).body("slug", matchesPattern(first + "-[a-z0-9]{6}"));
        }

        @Test
        void aRequestedSlugThatIsTakenIs409SlugTaken() {
            String token = signedIn(Person.fresh());
            String slug = "taken-" + UUID.randomUUID().toString().substring(0, 8);
            as(token).body("{\"name\":\"A\",\"slug\":\"" + slug + "\"}").when().post("/v1/organizations")
                    .then().statusCode(201).body("slug", equalTo(slug));
            as(token).body("{\"name\":\"B\",\"slug\":\"" + slug + "\"}").when().post("/v1/organizations")
                    .then().statusCode(409).body("code", equalTo("slug_taken"));
        }

        @Test
        void blankNameOrBadSlugIs400() {
            String token = signedIn(Person.fresh());
            as(token).body("{\"name\":\" \"}").when().post("/v1/organizations")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(token).body("{\"name\":\"x\",\"slug\":\"Not A Slug\"}").when().post("/v1/organizations")
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void withoutTokenIs401() {
            given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").when().post("/v1/organizations")
                    .then().statusCode(401).body("code", equalTo("auth_required"));
        }

        @Test
        void anApiKeyOrAServiceIs403() {
            String org = fixtures.organization("k");
            as(Fixtures.key(org, "read_write")).body("{\"name\":\"x\"}").when().post("/v1/organizations")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            as(TestTokens.service("someone", "*").sign()).body("{\"name\":\"x\"}").when().post("/v1/organizations")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }
    }

    @Nested
    class Update {

        @Test
        void anAdminRenamesAndChangesTheSlug() {
            String org = fixtures.organization("Old name");
            Person admin = fixtures.member(org, "admin");
            String slug = "new-" + UUID.randomUUID().toString().substring(0, 8);
            as(Fixtures.user(admin, org, "admin")).body("{\"name\":\"New name\",\"slug\":\"" + slug + "\"}")
                    .when().patch("/v1/organizations/" + org)
                    .then().statusCode(200).body("name", equalTo("New name")).body("slug", equalTo(slug));
            as(Fixtures.user(admin, org, "admin")).when().get("/v1/organizations/" + org)
                    .then().statusCode(200).body("name", equalTo("New name")).body("slug", equalTo(slug));
        }

        @Test
        void anotherOrganizationsSlugIs409SlugTaken() {
            String mine = fixtures.organization("mine");
            String theirs = fixtures.organization("theirs");
            String theirSlug = fixtures.rows("select slug from tenant.organizations where id = $1", UUID.fromString(theirs))
                    .get(0).getString(0);
            Person owner = fixtures.member(mine, "owner");
            as(Fixtures.user(owner, mine, "owner")).body("{\"slug\":\"" + theirSlug + "\"}")
                    .when().patch("/v1/organizations/" + mine)
                    .then().statusCode(409).body("code", equalTo("slug_taken"));
        }

        @Test
        void nothingToChangeOrABadSlugIs400() {
            String org = fixtures.organization("x");
            String token = Fixtures.user(fixtures.member(org, "owner"), org, "owner");
            as(token).body("{}").when().patch("/v1/organizations/" + org)
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(token).body("{\"slug\":\"-bad-\"}").when().patch("/v1/organizations/" + org)
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
            as(token).body("{\"name\":\"  \"}").when().patch("/v1/organizations/" + org)
                    .then().statusCode(400).body("code", equalTo("validation_failed"));
        }

        @Test
        void aMemberIs403() {
            String org = fixtures.organization("x");
            Person member = fixtures.member(org, "member");
            as(Fixtures.user(member, org, "member")).body("{\"name\":\"y\"}").when().patch("/v1/organizations/" + org)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void aDemotedAdminsStaleTokenIs403() {
            // The token still says admin; the database says member now.
            String org = fixtures.organization("x");
            Person demoted = fixtures.member(org, "member");
            as(Fixtures.user(demoted, org, "admin")).body("{\"name\":\"y\"}").when().patch("/v1/organizations/" + org)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void aDeletedOrganizationIs404() {
            String org = fixtures.organization("x");
            Person owner = fixtures.member(org, "owner");
            String token = Fixtures.user(owner, org, "owner");
            as(token).when().delete("/v1/organizations/" + org).then().statusCode(204);
            as(token).body("{\"name\":\"y\"}").when().patch("/v1/organizations/" + org)
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }
    }

    @Nested
    class Delete {

        @Test
        void anOwnerDeletesItAndItsKeysAndSessionsAreEndedElsewhere() {
            String org = fixtures.organization("doomed");
            Person owner = fixtures.member(org, "owner");
            String token = Fixtures.user(owner, org, "owner");
            as(token).body("{\"email\":\"someone@example.test\",\"role\":\"member\"}")
                    .when().post("/v1/organizations/" + org + "/invitations").then().statusCode(201);

            as(token).when().delete("/v1/organizations/" + org).then().statusCode(204);

            as(token).when().get("/v1/organizations/" + org).then().statusCode(404).body("code", equalTo("not_found"));
            FakeServices.await(r -> r.path().equals("/internal/v1/organizations/" + org + "/keys/revoke")
                    && FakeServices.serviceToken(r), Duration.ofSeconds(10));
            FakeServices.await(r -> r.path().equals("/internal/v1/sessions/end")
                    && r.body().contains("\"organization_id\":\"" + org + "\"") && !r.body().contains("user_id"),
                    Duration.ofSeconds(10));
            assertEquals(0, fixtures.rows("select 1 from tenant.invitations where organization_id = $1"
                    + " and revoked_at is null", UUID.fromString(org)).size(), "its pending invitations are revoked");
        }

        @Test
        void anAdminIs403AndAnApiKeyToo() {
            String org = fixtures.organization("kept");
            Person admin = fixtures.member(org, "admin");
            as(Fixtures.user(admin, org, "admin")).when().delete("/v1/organizations/" + org)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            as(Fixtures.key(org, "read_write")).when().delete("/v1/organizations/" + org)
                    .then().statusCode(403).body("code", equalTo("access_denied"));
        }

        @Test
        void aPersonalOrganizationIs409() {
            String user = UUID.randomUUID().toString();
            String personal = given().header("Authorization", "Bearer "
                    + TestTokens.service("identity-service", "internal:memberships.write").sign())
                    .contentType(ContentType.JSON).body("{\"email\":\"solo-" + user + "@example.test\",\"email_verified\":true}")
                    .when().post("/internal/v1/users/" + user + "/onboard")
                    .then().statusCode(200).extract().path("memberships[0].organization_id");
            as(Fixtures.user(new Person(user, "solo@example.test"), personal, "owner"))
                    .when().delete("/v1/organizations/" + personal)
                    .then().statusCode(409).body("code", equalTo("personal_organization"));
        }

        @Test
        void anUnknownIdIs404() {
            String org = fixtures.organization("x");
            as(Fixtures.user(fixtures.member(org, "owner"), org, "owner")).when().delete("/v1/organizations/" + UUID.randomUUID())
                    .then().statusCode(404);
        }
    }

    @Nested
    class MyOrganizations {

        @Test
        void aPersonSeesEveryOrganizationTheyBelongToWithTheirRoleAndWhichIsActive() {
            String user = UUID.randomUUID().toString();
            Person ada = new Person(user, "ada-" + user.substring(0, 8) + "@example.test");
            String personal = given().header("Authorization", "Bearer "
                    + TestTokens.service("identity-service", "internal:memberships.write").sign())
                    .contentType(ContentType.JSON).body("{\"email\":\"" + ada.email() + "\",\"email_verified\":true}")
                    .when().post("/internal/v1/users/" + user + "/onboard")
                    .then().statusCode(200).extract().path("memberships[0].organization_id");
            String team = fixtures.organization("Team");
            fixtures.join(ada, team, "admin");
            String gone = fixtures.organization("Gone");
            fixtures.join(ada, gone, "owner");
            as(Fixtures.user(ada, gone, "owner")).when().delete("/v1/organizations/" + gone).then().statusCode(204);

            as(Fixtures.user(ada, team, "admin")).when().get("/v1/me/organizations")
                    .then().statusCode(200)
                    .body("organizations", hasSize(2))
                    .body("organizations.id", contains(personal, team))
                    .body("organizations.role", contains("owner", "admin"))
                    .body("organizations.personal", contains(true, false))
                    .body("organizations.active", contains(false, true))
                    .body("organizations[1].joined_at", notNullValue());
        }

        @Test
        void anApiKeySeesItsOwnOrganizationOnly() {
            String org = fixtures.organization("Keyed");
            as(Fixtures.key(org, "read")).when().get("/v1/me/organizations")
                    .then().statusCode(200)
                    .body("organizations", hasSize(1))
                    .body("organizations[0].id", equalTo(org))
                    .body("organizations[0].role", equalTo("member"))
                    .body("organizations[0]", not(hasKey("joined_at")));
        }

        @Test
        void aServiceIs403AndNoTokenIs401() {
            as(TestTokens.service("x", "*").sign()).when().get("/v1/me/organizations")
                    .then().statusCode(403).body("code", equalTo("access_denied"));
            given().when().get("/v1/me/organizations").then().statusCode(401);
        }
    }
}
