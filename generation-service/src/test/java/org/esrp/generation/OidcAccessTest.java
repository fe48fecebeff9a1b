package org.esrp.generation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.esrp.local.LocalInfraResource;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;

/**
 * The OIDC option: with an organisation's identity provider configured, its signed tokens carry platform roles through
 * the provider's groups (named like the roles, or mapped by esrp.access.oidc-roles), and the platform's own tokens keep
 * working beside them.
 */
@QuarkusTest
@TestProfile(OidcAccessTest.WithIdentityProvider.class)
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class OidcAccessTest {

    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IdentityProviderResource.class));
        }
    }

    private static final String PROBLEM = "application/problem+json";

    @Test
    void theProvidersGroupsGiveThePlatformRolesTheyMapToWithTheRolesThoseImply() {
        String researcher = IdentityProviderResource.token("r.lee", List.of("esrp-researchers", "staff"));
        String study = given().auth().oauth2(researcher).contentType(ContentType.JSON).body(Map.of("name", "oidc-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(201).extract().path("id");
        given().auth().oauth2(researcher).get("/studies/{id}/responders", study).then().statusCode(200);

        String analyst = IdentityProviderResource.token("a.kim", List.of("analyst"));
        given().auth().oauth2(analyst).get("/studies/{id}/responders", study).then().statusCode(200);
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(Map.of("name", "by-analyst-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(403).contentType(PROBLEM);

        // admin implies researcher: the mapped group reaches what researchers may do.
        String operator = IdentityProviderResource.token("ops", List.of("/ops/admins"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "by-ops-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(201);
    }

    @Test
    void aProviderGroupThatMapsToNoRoleGivesNothingNotEvenAnAnnotatorsPlace() {
        String stranger = IdentityProviderResource.token("someone", List.of("annotator", "staff", "researchers"));
        given().auth().oauth2(stranger).get("/studies").then().statusCode(403).contentType(PROBLEM)
                .body("errors.field", hasItem("Authorization"));
    }

    @Test
    void tokensTheProviderDidNotSignForThisPlatformNowAreRefused() {
        JwtClaims expired = IdentityProviderResource.claims("late", List.of("admin"));
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        JwtClaims otherAudience = IdentityProviderResource.claims("elsewhere", List.of("admin"));
        otherAudience.setAudience("another-app");
        JwtClaims otherIssuer = IdentityProviderResource.claims("impostor", List.of("admin"));
        otherIssuer.setIssuer("http://127.0.0.1:1/realms/esrp");
        List<String> refused = List.of(
                IdentityProviderResource.sign(IdentityProviderResource.newKey("provider-key"), IdentityProviderResource.claims("forger", List.of("admin"))),
                IdentityProviderResource.sign(IdentityProviderResource.key(), expired),
                IdentityProviderResource.sign(IdentityProviderResource.key(), otherAudience),
                IdentityProviderResource.sign(IdentityProviderResource.key(), otherIssuer),
                "not-issued");
        for (String token : refused) {
            given().auth().oauth2(token).get("/studies").then().statusCode(401);
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "refused-" + UUID.randomUUID()))
                    .post("/studies").then().statusCode(401);
        }
        given().get("/studies").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void thePlatformsOwnTokensWorkBesideTheProvider() {
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "platform-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(201);
        given().auth().oauth2("test-analyst-token").get("/studies").then().statusCode(200);
        given().auth().oauth2("test-analyst-token").contentType(ContentType.JSON).body(Map.of("name", "x-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(403);
    }
}
