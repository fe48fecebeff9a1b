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
        given().auth().oauth2("test-admin-token").get("/studies/{id}", unknown).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/studies/{id}/characters", unknown).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2("test-admin-token").post("/studies/{id}/runs", unknown).then().statusCode(404).contentType(PROBLEM);
        String study = StudyApi.study("bad");
        given().auth().oauth2("test-admin-token").get("/studies/{s}/runs/{r}", study, unknown).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2("test-admin-token").get("/studies/{s}/responders/{r}", study, unknown).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"a\":[{\"dialog_id\": 1, \"question_r1\": \"q\", \"answer_r1\": \"a\", \"question_r2\": \"q\", \"answer_r2\": \"a\"}]}")
                .post("/studies/{id}/imports/chatanime?responder=x&kind=LLM", unknown).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void malformedJsonAndMissingOrOutOfRangeFieldsName400() {
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"name\": ").post("/studies")
                .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{}").post("/studies")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("name"));
        String study = StudyApi.study("bad-fields");
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "m", "kind", "LLM",
                        "llm", Map.of("baseUrl", "http://127.0.0.1:1/v1", "modelName", "m", "temperature", 5)))
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("llm.temperature"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "m", "kind", "LLM",
                        "llm", Map.of("baseUrl", "not a url", "modelName", "m", "maxConcurrency", 0)))
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).body("errors.field", hasItem("llm.baseUrl")).body("errors.field", hasItem("llm.maxConcurrency"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"name\":\"m\",\"kind\":\"ROBOT\"}")
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("kind"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "m", "kind", "LLM"))
                .post("/studies/{id}/responders", study)
                .then().statusCode(400).body("errors.field", hasItem("llm"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("openingMessage", ""))
                .post("/studies/{id}/scenarios", study)
                .then().statusCode(400).body("errors.field", hasItem("openingMessage"));
        given().auth().oauth2("test-admin-token").post("/studies/{id}/runs", study).then().statusCode(409).contentType(PROBLEM).body("errors.field", hasItem("simulator"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/responders", study).then().body("$", hasSize(0));
    }

    @Test
    void aRejectedImportLeavesTheDatabaseAndTheTopicAsTheyWere() {
        String study = StudyApi.study("bad-import");
        String url = "/studies/{id}/imports/chatanime?responder=fans&kind=HUMAN";
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("[1,2]").post(url, study)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("$"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"《海贼王》的路飞\": {\"dialog_id\": 1}}").post(url, study)
                .then().statusCode(400).body("errors[0].field", equalTo("$[\"《海贼王》的路飞\"]"));
        // a valid first dialogue, a broken second one: nothing of the first may be written
        String halfGood = """
                {"《海贼王》的路飞": [
                  {"dialog_id": 1, "question_r1": "q1", "answer_r1": "a1", "question_r2": "q2", "answer_r2": "a2"},
                  {"dialog_id": 2, "question_r1": "q1", "answer_r1": "a1", "question_r2": "q2"}
                ]}""";
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(halfGood).post(url, study)
                .then().statusCode(400).body("errors[0].field", equalTo("$[\"《海贼王》的路飞\"][1].answer_r2"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"x\": [ {\"dialog_id\": 1, ").post(url, study)
                .then().statusCode(400).body("detail", containsString("line"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(halfGood.replace("\"question_r2\": \"q2\"}", "\"question_r2\": \"q2\", \"answer_r2\": \"a\"}"))
                .post("/studies/{id}/imports/chatanime?responder=fans&kind=ROBOT", study)
                .then().statusCode(400).body("errors[0].field", equalTo("kind"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(halfGood)
                .post("/studies/{id}/imports/chatanime?kind=HUMAN", study)
                .then().statusCode(400).body("errors[0].field", equalTo("responder"));

        given().auth().oauth2("test-admin-token").get("/studies/{id}/characters", study).then().body("$", hasSize(0));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/scenarios", study).then().body("$", hasSize(0));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/responders", study).then().body("$", hasSize(0));
        assertEquals(0, ResponsesTopic.records(study, 1, Duration.ofSeconds(4), Duration.ZERO).size());
    }

    @Test
    void nulInAnyTextIsA400NamingTheFieldAndStoresNothing() {
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"name\": \"nul\\u0000study\"}").post("/studies")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("name"));
        String study = StudyApi.study("nul");
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"openingMessage\": \"hi\\u0000\"}")
                .post("/studies/{id}/scenarios", study).then().statusCode(400).body("errors.field", hasItem("openingMessage"));
        String character = StudyApi.character(study, "角色", "作品", "性格");
        String scenario = StudyApi.scenario(study, "s1", "开场白");
        String fan = StudyApi.fan(study, "fan-nul", java.util.List.of(character));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"round\": 1, \"answer\": \"a\\u0000b\"}")
                .post("/studies/{s}/responders/{r}/dialogues/{c}/{sc}/answers", study, fan, character, scenario)
                .then().statusCode(400).body("errors.field", hasItem("answer"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body("{\"《海贼王》的路飞\": [{\"dialog_id\": 1, \"question_r1\": \"q\", \"answer_r1\": \"a\\u0000\", \"question_r2\": \"q\", \"answer_r2\": \"a\"}]}")
                .post("/studies/{id}/imports/chatanime?responder=nul&kind=LLM", study)
                .then().statusCode(400).body("errors[0].field", equalTo("$[\"《海贼王》的路飞\"][0].answer_r1"));
        given().auth().oauth2("test-admin-token").get("/studies/{s}/responders/{r}/dialogues/{c}/{sc}", study, fan, character, scenario)
                .then().statusCode(200).body("rounds", hasSize(0));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/responders", study).then().body("$", hasSize(1));
    }

    @Test
    void importValuesLongerThanTheirColumnsAndEnumsGivenAsNumbersAre400() {
        String study = StudyApi.study("too-long");
        String url = "/studies/{id}/imports/chatanime?responder=long&kind=LLM";
        String dialogue = "{\"dialog_id\": \"%s\", \"question_r1\": \"q\", \"answer_r1\": \"a\", \"question_r2\": \"q\", \"answer_r2\": \"a\"}";
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body("{\"《海贼王》的路飞\": [" + dialogue.formatted("d".repeat(101)) + "]}").post(url, study)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("$[\"《海贼王》的路飞\"][0].dialog_id"));
        String label = "L".repeat(401);
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body("{\"" + label + "\": [" + dialogue.formatted("1") + "]}").post(url, study)
                .then().statusCode(400).body("errors[0].field", equalTo("$[\"" + label + "\"]"));
        // A character without dialogues: no responder may appear.
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"《海贼王》的路飞\": []}").post(url, study)
                .then().statusCode(400).body("errors[0].field", equalTo("$"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body("{\"name\": \"r\", \"kind\": 1}")
                .post("/studies/{id}/responders", study).then().statusCode(400).body("errors.field", hasItem("kind"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/responders", study).then().body("$", hasSize(0));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/characters", study).then().body("$", hasSize(0));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body("{\"《海贼王》的路飞\": [" + dialogue.formatted("d".repeat(100)) + "]}").post(url, study).then().statusCode(201);
    }
}
