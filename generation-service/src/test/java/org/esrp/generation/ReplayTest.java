package org.esrp.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The replay endpoint drives the real generation path with the recorded ChatAnime answers. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class ReplayTest {

    @TestHTTPResource("/replay/v1")
    URL replay;

    @Test
    void aRunAgainstTheReplayEndpointStoresTheRecordedAnswersOfThatModel() throws Exception {
        JsonNode recorded = new ObjectMapper().readTree(Files.readAllBytes(ChatAnimeImportTest.dataFile("deepseek-v3.json")));
        JsonNode luffy = recorded.get("《海贼王》的蒙奇·D·路飞");
        String study = StudyApi.study("replay");
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "蒙奇·D·路飞", "work", "海贼王"))
                .post("/studies/{id}/characters", study).then().statusCode(201);
        for (int i = 0; i < 2; i++) {
            StudyApi.scenario(study, luffy.get(i).path("dialog_id").asText(), luffy.get(i).path("question_r1").asText());
        }
        StudyApi.llmResponder(study, "deepseek-v3", replay.toString(), "deepseek-v3", 2);
        StudyApi.simulator(study, replay.toString(), "simulator");

        assertEquals(2, StudyApi.awaitRunEnd(study, StudyApi.startRun(study)).get("done"));
        List<JsonNode> records = ResponsesTopic.records(study, 4, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertEquals(4, records.size());
        for (JsonNode record : records) {
            JsonNode dialogue = luffy.get(Integer.parseInt(record.path("scenarioKey").asText()) - 1);
            assertEquals(record.path("scenarioKey").asText(), dialogue.path("dialog_id").asText());
            int round = record.path("round").asInt();
            assertEquals(dialogue.path("question_r" + round).asText(), record.path("userMessage").asText());
            assertEquals(dialogue.path("answer_r" + round).asText(), record.path("answer").asText());
        }
    }

    @Test
    void aScenarioThatTheModelsQuoteWithOtherPunctuationIsReplayedToo() throws Exception {
        // the demo's scenarios are the fans' questions; deepseek-v3's file writes this one with "~" where the fans' has "～"
        JsonNode fans = new ObjectMapper().readTree(Files.readAllBytes(ChatAnimeImportTest.dataFile("human.json")));
        JsonNode model = new ObjectMapper().readTree(Files.readAllBytes(ChatAnimeImportTest.dataFile("deepseek-v3.json")));
        JsonNode fansQuestion = fans.get("《海贼王》的蒙奇·D·路飞").get(23);
        JsonNode recorded = model.get("《海贼王》的蒙奇·D·路飞").get(23);
        assertEquals("24", recorded.path("dialog_id").asText());
        assertNotEquals(recorded.path("question_r1").asText(), fansQuestion.path("question_r1").asText());
        String study = StudyApi.study("replay-variant");
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "蒙奇·D·路飞", "work", "海贼王"))
                .post("/studies/{id}/characters", study).then().statusCode(201);
        StudyApi.scenario(study, "24", fansQuestion.path("question_r1").asText());
        StudyApi.llmResponder(study, "deepseek-v3", replay.toString(), "deepseek-v3", 1);
        StudyApi.simulator(study, replay.toString(), "simulator");

        assertEquals(1, StudyApi.awaitRunEnd(study, StudyApi.startRun(study)).get("done"));
        List<JsonNode> records = ResponsesTopic.records(study, 2, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertEquals(2, records.size());
        for (JsonNode record : records) {
            int round = record.path("round").asInt();
            assertEquals(recorded.path("answer_r" + round).asText(), record.path("answer").asText());
            if (round == 2) {
                assertEquals(recorded.path("question_r2").asText(), record.path("userMessage").asText());
            }
        }
    }

    @Test
    void anUnknownModelOrQuestionIsA404InOpenAiShape() {
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("model", "no-such-model", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/replay/v1/chat/completions").then().statusCode(404)
                .body("error.message", org.hamcrest.Matchers.containsString("no-such-model"));
    }
}
