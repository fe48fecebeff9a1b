package org.esrp.generation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void unknownIdsAre404() {
        String unknown = UUID.randomUUID().toString();
        given().get("/studies/{id}", unknown).then().statusCode(404).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/studies/{id}/characters", unknown).then().statusCode(404).contentType(PROBLEM);
        given().post("/studies/{id}/runs", unknown).then().statusCode(404).contentType(PROBLEM);
        String study = StudyApi.study("bad");
        given().get("/studies/{s}/runs/{r}", study, unknown).then().statusCode(404).contentType(PROBLEM);
        given().get("/studies/{s}/responders/{r}", study, unknown).then().statusCode(404).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body("{\"a\":[]}")
                .post("/studies/{id}/imports/chatanime?responder=x&kind=LLM", unknown).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void malformedJsonAndMissingOrOutOfRangeFieldsName400() {
        given().contentType(ContentType.JSON).body("{\"name\": ").post("/studies")
                .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
        given().contentType(ContentType.JSON).body("{}").post("/studies")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("name"));
        String study = StudyApi.study("bad-fields");
        given().contentType(ContentType.JSON).body(Map.of("name", "m", "kind", "LLM",
                        "llm", Map.of("baseUrl", "http://127.0.0.1:1/v1", "modelName", "m", "temperature", 5)))
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("llm.temperature"));
        given().contentType(ContentType.JSON).body(Map.of("name", "m", "kind", "LLM",
                        "llm", Map.of("baseUrl", "not a url", "modelName", "m", "maxConcurrency", 0)))
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).body("errors.field", hasItem("llm.baseUrl")).body("errors.field", hasItem("llm.maxConcurrency"));
        given().contentType(ContentType.JSON).body("{\"name\":\"m\",\"kind\":\"ROBOT\"}")
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("kind"));
        given().contentType(ContentType.JSON).body(Map.of("name", "m", "kind", "LLM"))
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).body("errors.field", hasItem("llm"));
        given().contentType(ContentType.JSON).body(Map.of("openingMessage", ""))
                .post("/studies/{id}/scenarios", study)
                .then().statusCode(400).body("errors.field", hasItem("openingMessage"));
        given().post("/studies/{id}/runs", study).then().statusCode(409).contentType(PROBLEM).body("errors.field", hasItem("simulator"));
        given().get("/studies/{id}/responders", study).then().body("$", hasSize(0));
    }

    @Test
    void aRejectedImportLeavesTheDatabaseAndTheTopicAsTheyWere() {
        String study = StudyApi.study("bad-import");
        String url = "/studies/{id}/imports/chatanime?responder=fans&kind=HUMAN";
        given().contentType(ContentType.JSON).body("[1,2]").post(url, study)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("$"));
        given().contentType(ContentType.JSON).body("{\"《海贼王》的路飞\": {\"dialog_id\": 1}}").post(url, study)
                .then().statusCode(400).body("errors[0].field", equalTo("$[\"《海贼王》的路飞\"]"));
        // a valid first dialogue, a broken second one: nothing of the first may be written
        String halfGood = """
                {"《海贼王》的路飞": [
                  {"dialog_id": 1, "question_r1": "q1", "answer_r1": "a1", "question_r2": "q2", "answer_r2": "a2"},
                  {"dialog_id": 2, "question_r1": "q1", "answer_r1": "a1", "question_r2": "q2"}
                ]}""";
        given().contentType(ContentType.JSON).body(halfGood).post(url, study)
                .then().statusCode(400).body("errors[0].field", equalTo("$[\"《海贼王》的路飞\"][1].answer_r2"));
        given().contentType(ContentType.JSON).body("{\"x\": [ {\"dialog_id\": 1, ").post(url, study)
                .then().statusCode(400).body("detail", containsString("line"));
        given().contentType(ContentType.JSON).body(halfGood.replace("\"question_r2\": \"q2\"}", "\"question_r2\": \"q2\", \"answer_r2\": \"a\"}"))
                .post("/studies/{id}/imports/chatanime?responder=fans&kind=ROBOT", study)
                .then().statusCode(400).body("errors[0].field", equalTo("kind"));
        given().contentType(ContentType.JSON).body(halfGood)
                .post("/studies/{id}/imports/chatanime?kind=HUMAN", study)
                .then().statusCode(400).body("errors[0].field", equalTo("responder"));

        given().get("/studies/{id}/characters", study).then().body("$", hasSize(0));
        given().get("/studies/{id}/scenarios", study).then().body("$", hasSize(0));
        given().get("/studies/{id}/responders", study).then().body("$", hasSize(0));
        assertEquals(0, ResponsesTopic.records(study, 1, Duration.ofSeconds(4), Duration.ZERO).size());
    }
}
