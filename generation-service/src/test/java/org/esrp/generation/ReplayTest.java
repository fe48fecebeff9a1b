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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The replay endpoint drives the real generation path with the recorded ChatAnime answers. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class ReplayTest {

    private static final String LUFFY = "《海贼王》的蒙奇·D·路飞";

    @TestHTTPResource("/replay/v1")
    URL replay;

    @Test
    void aRunAgainstTheReplayEndpointStoresTheRecordedAnswersOfThatModel() throws Exception {
        JsonNode luffy = recorded("deepseek-v3.json").get(LUFFY);
        Map<String, String> scenarios = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            scenarios.put(luffy.get(i).path("dialog_id").asText(), luffy.get(i).path("question_r1").asText());
        }
        List<JsonNode> records = replayed("replay", scenarios);
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
        JsonNode fansQuestion = recorded("human.json").get(LUFFY).get(23);
        JsonNode recorded = recorded("deepseek-v3.json").get(LUFFY).get(23);
        assertEquals("24", recorded.path("dialog_id").asText());
        assertNotEquals(recorded.path("question_r1").asText(), fansQuestion.path("question_r1").asText());

        List<JsonNode> records = replayed("replay-variant", Map.of("24", fansQuestion.path("question_r1").asText()));
        assertEquals(2, records.size());
        for (JsonNode record : records) {
            int round = record.path("round").asInt();
            assertEquals(recorded.path("answer_r" + round).asText(), record.path("answer").asText());
            if (round == 2) {
                assertEquals(recorded.path("question_r2").asText(), record.path("userMessage").asText());
            }
        }
    }

    private static JsonNode recorded(String file) throws Exception {
        return new ObjectMapper().readTree(Files.readAllBytes(ChatAnimeImportTest.dataFile(file)));
    }

    /**
     * Runs a study of Luffy with these scenarios (external id to opening) and deepseek-v3 and the user simulator on the
     * replay endpoint; every scenario must be done. The answers it published.
     */
    private List<JsonNode> replayed(String name, Map<String, String> scenarios) {
        String study = StudyApi.study(name);
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("name", "蒙奇·D·路飞", "work", "海贼王"))
                .post("/studies/{id}/characters", study).then().statusCode(201);
        scenarios.forEach((id, opening) -> StudyApi.scenario(study, id, opening));
        StudyApi.llmResponder(study, "deepseek-v3", replay.toString(), "deepseek-v3", 2);
        StudyApi.simulator(study, replay.toString(), "simulator");
        assertEquals(scenarios.size(), StudyApi.awaitRunEnd(study, StudyApi.startRun(study)).get("done"));
        return ResponsesTopic.records(study, 2 * scenarios.size(), Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    @Test
    void anUnknownModelOrQuestionIsA404InOpenAiShape() {
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("model", "no-such-model", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/replay/v1/chat/completions").then().statusCode(404)
                .body("error.message", org.hamcrest.Matchers.containsString("no-such-model"));
    }
}
