package org.esrp.generation;

import io.restassured.http.ContentType;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** The REST calls a researcher makes to set a study up, for the tests. */
final class StudyApi {

    private StudyApi() {
    }

    /**
     * A study of one character and {@code scenarios} scenarios, with one LLM responder (model {@code <name>-model}) and
     * the user simulator (model {@code <name>-sim}), both on {@code baseUrl}.
     */
    static String oneResponderStudy(String name, int scenarios, String baseUrl, int maxConcurrency) {
        String study = study(name);
        character(study, "折木奉太郎", "冰菓", "节能主义");
        for (int i = 0; i < scenarios; i++) {
            scenario(study, name + i, name + "场景" + i);
        }
        llmResponder(study, name, baseUrl, name + "-model", maxConcurrency);
        simulator(study, baseUrl, name + "-sim");
        return study;
    }

    static String study(String prefix) {
        return given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", prefix + "-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(201).extract().path("id");
    }

    static String character(String studyId, String name, String work, String personality) {
        return given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("name", name, "work", work, "personality", personality, "speechStyle", name + "的口癖", "history", name + "的经历"))
                .post("/studies/{id}/characters", studyId).then().statusCode(201).extract().path("id");
    }

    static String scenario(String studyId, String externalId, String opening) {
        return given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("externalId", externalId, "persona", "学生", "emotion", "焦虑", "event", "考试", "openingMessage", opening))
                .post("/studies/{id}/scenarios", studyId).then().statusCode(201).extract().path("id");
    }

    static String llmResponder(String studyId, String name, String baseUrl, String model, int maxConcurrency) {
        Map<String, Object> llm = new HashMap<>(Map.of("baseUrl", baseUrl, "modelName", model, "temperature", 0.7,
                "maxTokens", 512, "maxConcurrency", maxConcurrency, "timeoutSeconds", 10));
        return given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", name, "kind", "LLM", "llm", llm))
                .post("/studies/{id}/responders", studyId).then().statusCode(201).extract().path("id");
    }

    static String fan(String studyId, String name, List<String> characterIds) {
        return given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", name, "kind", "HUMAN", "characterIds", characterIds))
                .post("/studies/{id}/responders", studyId).then().statusCode(201).extract().path("id");
    }

    static void simulator(String studyId, String baseUrl, String model) {
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("llm", Map.of("baseUrl", baseUrl, "modelName", model, "maxConcurrency", 4, "timeoutSeconds", 10)))
                .put("/studies/{id}/simulator", studyId).then().statusCode(200);
    }

    static String startRun(String studyId) {
        return given().auth().oauth2("test-admin-token").post("/studies/{id}/runs", studyId).then().statusCode(201).extract().path("id");
    }

    static Map<String, Object> awaitRunEnd(String studyId, String runId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !"RUNNING".equals(given().auth().oauth2("test-admin-token").get("/studies/{s}/runs/{r}", studyId, runId).then().extract().path("status")));
        return given().auth().oauth2("test-admin-token").get("/studies/{s}/runs/{r}", studyId, runId).then().statusCode(200).extract().as(Map.class);
    }
}
