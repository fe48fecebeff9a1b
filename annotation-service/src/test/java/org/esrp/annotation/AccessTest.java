package org.esrp.annotation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Roles on annotation-service, authentication before validation, and 404 for studies this service never heard of. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class AccessTest {

    static final String RESEARCHER = "Bearer test-researcher-token";
    static final String ANALYST = "Bearer test-analyst-token";
    private static final String PROBLEM = "application/problem+json";

    @Test
    void anonymousCallsAre401EvenWhenTheirBodyIsInvalid() {
        UUID study = UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"ratersPerItem\": -4}").put("/studies/{id}/design", study)
                .then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", startsWith("Bearer"));
        given().contentType(ContentType.JSON).body("{").post("/annotators").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/tasks/{id}/ratings", UUID.randomUUID()).then().statusCode(401);
        given().get("/studies/{id}/progress", study).then().statusCode(401);
        given().queryParam("study", "not-a-uuid").get("/tasks/next").then().statusCode(401);
        given().header("Authorization", "Bearer nobody-issued-this").get("/studies/{id}/ratings.csv", study).then().statusCode(401);
    }

    @Test
    void researchersRunTheStudyAnalystsReadItAndAnnotatorsOnlyRate() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        given().header("Authorization", ANALYST).contentType(ContentType.JSON).body(Map.of("ratersPerItem", 1))
                .put("/studies/{id}/design", study).then().statusCode(403).contentType(PROBLEM);
        given().header("Authorization", RESEARCHER).contentType(ContentType.JSON).body(Map.of("ratersPerItem", 1, "diversitySetSize", 20))
                .put("/studies/{id}/design", study).then().statusCode(200);
        given().header("Authorization", ANALYST).get("/studies/{id}/progress", study).then().statusCode(200);
        given().header("Authorization", ANALYST).get("/studies/{id}/ratings.csv", study).then().statusCode(200);
        given().header("Authorization", ANALYST).contentType(ContentType.JSON)
                .body(Map.of("displayName", "x", "characterIds", List.of(character), "languages", List.of("zh")))
                .post("/annotators").then().statusCode(403);
        String token = given().header("Authorization", RESEARCHER).contentType(ContentType.JSON)
                .body(Map.of("displayName", "rater", "characterIds", List.of(character), "languages", List.of("zh")))
                .post("/annotators").then().statusCode(201).extract().path("token");
        String annotator = "Bearer " + token;
        for (String path : List.of("/studies/{id}/progress", "/studies/{id}/design", "/studies/{id}/ratings.jsonl", "/studies/{id}/quality")) {
            given().header("Authorization", annotator).get(path, study).then().statusCode(403).contentType(PROBLEM);
        }
        given().header("Authorization", annotator).get("/annotators").then().statusCode(403);
        // Analysts and researchers are not annotators: they get no tasks (blinding is the annotators' condition).
        given().header("Authorization", RESEARCHER).queryParam("study", study.toString()).get("/tasks/next").then().statusCode(403);

        Streams.publishDialogues(List.of(Dialogue.of(study, character, "《冰菓》的千反田爱瑠", UUID.randomUUID(), "m", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        Response task = given().header("Authorization", annotator).queryParam("study", study.toString()).get("/tasks/next");
        assertEquals(200, task.statusCode());
        given().header("Authorization", annotator).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body("{\"scores\": " + Streams.MAPPER.writeValueAsString(Api.scores(4)) + ", \"comment\": \"ok\\u0000\", \"durationMs\": 30000}")
                .post("/tasks/{id}/ratings", task.<String>path("taskId"))
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("comment"));
        given().header("Authorization", ANALYST).get("/studies/{id}/progress", study).then().body("ratings", equalTo(0));
    }

    @Test
    void aStudyThisServiceNeverHeardOfIs404AndGetsNoGold() {
        UUID unknown = UUID.randomUUID();
        Api.Registered annotator = Api.annotator("stranger", List.of(UUID.randomUUID()), List.of());
        for (String path : List.of("/studies/{id}/design", "/studies/{id}/progress")) {
            given().header("Authorization", Api.ADMIN).get(path, unknown).then().statusCode(404).contentType(PROBLEM);
        }
        given().header("Authorization", annotator.bearer()).queryParam("study", unknown.toString()).get("/tasks/next").then().statusCode(404);
        given().header("Authorization", annotator.bearer()).queryParam("study", unknown.toString()).get("/tasks").then().statusCode(404);
        given().header("Authorization", annotator.bearer()).queryParam("study", unknown.toString()).get("/annotators/me/progress").then().statusCode(404);
        Map<String, Object> gold = Map.of("characterId", UUID.randomUUID(), "characterName", "《冰菓》的折木奉太郎",
                "rounds", List.of(Map.of("userMessage", "q1", "answer", "a1"), Map.of("userMessage", "q2", "answer", "a2")),
                "expected", Map.of("fluency", List.of(1, 2)));
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON).body(gold).post("/studies/{id}/gold", unknown)
                .then().statusCode(404);
        // A design makes the study known here: from then on it has a design, progress, and may get gold.
        Api.design(unknown, Map.of("ratersPerItem", 2));
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", unknown).then().statusCode(200).body("items", equalTo(0));
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON).body(gold).post("/studies/{id}/gold", unknown)
                .then().statusCode(201);
    }

    @Test
    void nulInADisplayNameIsA400NamingIt() {
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON)
                .body("{\"displayName\": \"a\\u0000b\", \"characterIds\": [], \"languages\": [\"zh\"]}")
                .post("/annotators").then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("displayName"));
    }
}
