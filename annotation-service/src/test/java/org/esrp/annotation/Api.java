package org.esrp.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** REST calls of the admin and of annotation front ends, for the tests. */
final class Api {

    static final String ADMIN = "Bearer test-admin-token";
    static final List<String> METRICS = List.of("fluency", "coherency", "consistency", "characterKnowledge", "speechStyle",
            "behavioralHabit", "demandMatching", "experienceSharing", "emotionalValue");

    private Api() {
    }

    record Registered(String id, String token) {
        String bearer() {
            return "Bearer " + token;
        }
    }

    static Registered annotator(String name, List<UUID> characters, List<UUID> responders) {
        Response r = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("displayName", name, "characterIds", characters, "languages", List.of("zh"), "responderIds", responders))
                .post("/annotators").then().statusCode(201).extract().response();
        return new Registered(r.path("id"), r.path("token"));
    }

    static void design(UUID study, Map<String, Object> design) {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(design)
                .put("/studies/{id}/design", study).then().statusCode(200);
    }

    /** Waits until the study has this many items (DIALOGUE and DIVERSITY, gold excluded). */
    static void awaitItems(UUID study, int dialogueItems) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                dialogueItems(study) >= dialogueItems);
    }

    /** 0 while the study is unknown here (404: no design, and none of its answers arrived yet). */
    private static int dialogueItems(UUID study) {
        Response progress = given().header("Authorization", ADMIN).get("/studies/{id}/progress", study);
        return progress.statusCode() == 404 ? 0 : progress.then().statusCode(200).extract().<Integer>path("dialogueItems");
    }

    static Response next(Registered annotator, UUID study) {
        return given().header("Authorization", annotator.bearer()).queryParam("study", study.toString()).get("/tasks/next");
    }

    static Map<String, Object> scores(int value) {
        Map<String, Object> scores = new HashMap<>();
        METRICS.forEach(m -> scores.put(m, value));
        return scores;
    }

    static Response rate(Registered annotator, String taskId, String key, Map<String, Object> scores, long durationMs) {
        return given().header("Authorization", annotator.bearer()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("scores", scores, "durationMs", durationMs))
                .post("/tasks/{id}/ratings", taskId);
    }

    static List<JsonNode> export(UUID study) throws Exception {
        String body = given().header("Authorization", ADMIN).get("/studies/{id}/ratings.jsonl", study)
                .then().statusCode(200).extract().asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                lines.add(Streams.MAPPER.readTree(line));
            }
        }
        return lines;
    }
}
