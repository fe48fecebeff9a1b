package org.esrp.annotation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.local.FakeLlmServer;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LLM judges against an OpenAI-compatible endpoint over real HTTP, with the real broker and PostgreSQL. The endpoint
 * reports 11 prompt and 7 completion tokens per call; the judges are priced at 2 and 8 per million, so by hand one
 * call costs (11 x 2 + 7 x 8) / 10^6 = 0.000078. Amounts are compared exactly.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class JudgeTest {

    private static final BigDecimal PER_CALL = new BigDecimal("0.000078");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    // the dialogues' user messages end with the first 6 characters of their id (Streams.Dialogue)
    private static final Pattern DIALOGUE_MARK = Pattern.compile("第1轮的问题 ([0-9a-f]{6})");
    static FakeLlmServer llm;

    @BeforeAll
    static void startLlm() throws Exception {
        llm = FakeLlmServer.shared();
    }

    /** The scores the fake judge gives a dialogue: from its id, each metric somewhere on its scale. */
    static Map<String, Integer> verdict(String dialoguePrefix) {
        Map<String, Integer> scores = new LinkedHashMap<>();
        for (int m = 0; m < Rubric.DIALOGUE.size(); m++) {
            RubricMetric metric = Rubric.DIALOGUE.get(m);
            int span = metric.max() - metric.min() + 1;
            scores.put(metric.key(), metric.min() + Math.floorMod(dialoguePrefix.hashCode() + 7 * m, span));
        }
        return scores;
    }

    static String answerFor(JsonNode request) {
        Matcher mark = DIALOGUE_MARK.matcher(request.path("messages").toString());
        String prefix = mark.find() ? mark.group(1) : "none";
        try {
            return JSON.writeValueAsString(Map.of("scores", verdict(prefix)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJudgeRatesEveryDialogueItemBlindAndItsRatingsGoOnTheRatingsTopicAsLlmJudgeRatings() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        List<Dialogue> dialogues = ratable(study, character, "《冰菓》的折木奉太郎", "secret-responder-", 6, 2);
        String model = "judge-" + study;
        llm.answerWith(model, JudgeTest::answerFor);

        String judge = createJudge(study, model, 3).path("id").asText();
        JsonNode run = awaitEnd(study, judge, startRun(study, judge, null));
        assertEquals("COMPLETED", run.path("status").asText(), run.toString());
        assertEquals(6, run.path("total").asInt());
        assertEquals(6, run.path("done").asInt());
        assertEquals(0, run.path("failed").asInt());
        assertEquals(66, run.path("tokensIn").asLong());
        assertEquals(42, run.path("tokensOut").asLong());
        assertEquals(0, PER_CALL.multiply(BigDecimal.valueOf(6)).compareTo(run.path("cost").decimalValue()), run.toString());

        // blind: the prompts name the character and hold both rounds, never who wrote the answers
        List<FakeLlmServer.Received> calls = llm.received(model);
        assertEquals(6, calls.size());
        for (FakeLlmServer.Received call : calls) {
            String prompt = call.messages().toString();
            assertEquals("json_object", call.body().path("response_format").path("type").asText(), call.body().toString());
            assertTrue(prompt.contains("折木奉太郎") && prompt.contains("第2轮的回答"), prompt);
            Rubric.DIALOGUE.forEach(metric -> assertTrue(prompt.contains(metric.key()), metric.key()));
            for (Dialogue d : dialogues) {
                assertFalse(prompt.contains("secret-responder") || prompt.contains(d.responderId().toString()), prompt);
            }
        }

        List<JsonNode> records = Streams.ratings(study, 6, Duration.ofSeconds(60), Duration.ofSeconds(2));
        assertEquals(6, records.size());
        for (JsonNode record : records) {
            assertEquals("LLM_JUDGE", record.path("raterKind").asText());
            assertEquals(model, record.path("raterModel").asText());
            assertEquals(judge, record.path("annotatorId").asText());
            assertEquals("DIALOGUE", record.path("itemKind").asText());
            Map<String, Integer> expected = verdict(record.path("dialogueId").asText().substring(0, 6));
            expected.forEach((metric, score) -> assertEquals(score, record.path("scores").path(metric).asInt(), metric));
            assertTrue(record.path("modelName").asText().startsWith("secret-responder"), "analysts' records carry the responder");
        }

        // beside the annotators, not instead of them: no human rating is counted, every item still waits for its 2 raters
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", study).then().statusCode(200)
                .body("ratings", equalTo(0)).body("ratingsMissing", equalTo(12)).body("fullyRated", equalTo(0));
        Api.Registered fan = Api.annotator("fan", List.of(character), List.of());
        assertEquals(200, Api.next(fan, study).statusCode());
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/ratings.csv", study).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(",LLM_JUDGE," + model + ","));

        // a second run has nothing left to do
        JsonNode again = awaitEnd(study, judge, startRun(study, judge, null));
        assertEquals(0, again.path("total").asInt());
        assertEquals(6, llm.received(model).size());
    }

    @Test
    void answersThatAreNotTheJsonAskedForAreAskedForAgainAndThenTheJudgmentFailsWithItsReason() throws Exception {
        UUID study = UUID.randomUUID();
        ratable(study, UUID.randomUUID(), "《银魂》的坂田银时", "r", 2, 1);
        String model = "picky-judge-" + study;
        Map<String, Integer> valid = verdict("fixed");
        Map<String, Object> offScale = new HashMap<>(valid);
        offScale.put("fluency", 6);
        Map<String, Object> missing = new HashMap<>(valid);
        missing.remove(Rubric.DIALOGUE.get(0).key());
        Map<String, Object> extra = new HashMap<>(valid);
        extra.put("charm", 3);
        Map<String, Object> fractional = new HashMap<>(valid);
        fractional.put("fluency", 3.5);
        // one judgment at a time: the first item gets three answers (two bad, then a fenced valid one), the second three bad
        llm.answerNext(model, "I would rate it highly.", json(Map.of("scores", offScale)),
                "```json\n" + json(Map.of("scores", valid)) + "\n```",
                json(Map.of("scores", missing)), json(Map.of("scores", extra)), json(Map.of("scores", fractional)));
        String judge = createJudge(study, model, 1).path("id").asText();
        JsonNode run = awaitEnd(study, judge, startRun(study, judge, null));
        assertEquals(1, run.path("done").asInt(), run.toString());
        assertEquals(1, run.path("failed").asInt(), run.toString());
        assertEquals(6 * 11, run.path("tokensIn").asLong(), "every call is paid for, the invalid answers' too");
        assertEquals(0, PER_CALL.multiply(BigDecimal.valueOf(6)).compareTo(run.path("cost").decimalValue()), run.toString());
        List<JsonNode> records = Streams.ratings(study, 1, Duration.ofSeconds(60), Duration.ofSeconds(2));
        assertEquals(1, records.size());
        valid.forEach((metric, score) -> assertEquals(score, records.get(0).path("scores").path(metric).asInt(), metric));

        // the failed judgment is the only one the next run takes, and this time the answer is valid
        llm.answerWith(model, JudgeTest::answerFor);
        JsonNode retry = awaitEnd(study, judge, startRun(study, judge, null));
        assertEquals(1, retry.path("total").asInt(), retry.toString());
        assertEquals(1, retry.path("done").asInt(), retry.toString());
        assertEquals(2, Streams.ratings(study, 2, Duration.ofSeconds(60), Duration.ofSeconds(2)).size());
    }

    @Test
    void aJudgeRunStopsClaimingBeforeItsBudgetIsSpentAndGoesOnWhenTheBudgetIsRaised() throws Exception {
        UUID study = UUID.randomUUID();
        ratable(study, UUID.randomUUID(), "《咒术回战》的五条悟", "m", 10, 1);
        String model = "thrifty-judge-" + study;
        llm.answerWith(model, JudgeTest::answerFor);
        String judge = createJudge(study, model, 1).path("id").asText();
        // four judgments would cost 0.000312
        String runId = startRun(study, judge, "0.0003");
        JsonNode stopped = awaitEnd(study, judge, runId);
        assertEquals("BUDGET_REACHED", stopped.path("status").asText(), stopped.toString());
        int done = stopped.path("done").asInt();
        assertTrue(done >= 1 && done <= 3, "done " + done);
        assertEquals(0, PER_CALL.multiply(BigDecimal.valueOf(done)).compareTo(stopped.path("cost").decimalValue()), stopped.toString());
        assertEquals(done, llm.received(model).size(), "no call beyond the judgments done");
        // a start sent again returns the run stopped by its budget; one asking for another budget is refused
        given().header("Authorization", Api.ADMIN).post("/studies/{s}/judges/{j}/runs", study, judge).then().statusCode(200)
                .body("id", is(runId)).body("status", is("BUDGET_REACHED"));
        given().header("Authorization", Api.ADMIN).queryParam("budget", "0.0003").post("/studies/{s}/judges/{j}/runs", study, judge)
                .then().statusCode(200).body("id", is(runId));
        given().header("Authorization", Api.ADMIN).queryParam("budget", "1").post("/studies/{s}/judges/{j}/runs", study, judge)
                .then().statusCode(409).body("errors.field", hasItem("budget"));
        given().header("Authorization", Api.ADMIN).get("/studies/{s}/judges/{j}/runs", study, judge).then().statusCode(200)
                .body("size()", is(1));

        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON).body(Map.of("budget", 1))
                .put("/studies/{s}/judges/{j}/runs/{r}/budget", study, judge, runId).then().statusCode(200);
        JsonNode finished = awaitEnd(study, judge, runId);
        assertEquals("COMPLETED", finished.path("status").asText(), finished.toString());
        assertEquals(10, finished.path("done").asInt());
        assertEquals(0, PER_CALL.multiply(BigDecimal.TEN).compareTo(finished.path("cost").decimalValue()));
    }

    @Test
    void badJudgesAndBudgetsAreRefusedWithTheFieldAtFaultAndOnlyResearchersAddJudges() {
        UUID study = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 1));
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "metadata", "llm", Map.of("baseUrl", "http://169.254.169.254/v1", "modelName", "m")))
                .post("/studies/{id}/judges", study).then().statusCode(400).body("errors.field", hasItem("llm.baseUrl"));
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON).body(Map.of("name", "no model"))
                .post("/studies/{id}/judges", study).then().statusCode(400).body("errors.field", hasItem("llm"));
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", "m", "temperature", 9)))
                .post("/studies/{id}/judges", study).then().statusCode(400).body("errors.field", hasItem("llm.temperature"));
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", "m")))
                .post("/studies/{id}/judges", UUID.randomUUID()).then().statusCode(404);
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/judges", study).then().statusCode(200).body("size()", equalTo(0));

        String judge = createJudge(study, "m", 1).path("id").asText();
        for (String budget : new String[]{"-1", "abc", "0.00001"}) {
            given().header("Authorization", Api.ADMIN).queryParam("budget", budget).post("/studies/{s}/judges/{j}/runs", study, judge)
                    .then().statusCode(400).body("errors.field", hasItem("budget"));
        }
        given().header("Authorization", Api.ADMIN).post("/studies/{s}/judges/{j}/runs", study, UUID.randomUUID()).then().statusCode(404);
        given().header("Authorization", Api.ADMIN).get("/studies/{s}/judges/{j}/runs", study, judge).then().statusCode(200)
                .body("size()", equalTo(0));

        Api.Registered annotator = Api.annotator("curious", List.of(UUID.randomUUID()), List.of());
        given().header("Authorization", annotator.bearer()).get("/studies/{id}/judges", study).then().statusCode(403);
        given().header("Authorization", "Bearer test-analyst-token").get("/studies/{id}/judges", study).then().statusCode(200)
                .body("[0].llm.modelName", equalTo("m"));
        given().header("Authorization", "Bearer test-analyst-token").contentType(ContentType.JSON)
                .body(Map.of("name", "x", "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", "m")))
                .post("/studies/{id}/judges", study).then().statusCode(403);
        given().contentType(ContentType.JSON).get("/studies/{id}/judges", study).then().statusCode(401);
    }

    /** A study with {@code count} DIALOGUE items, each of its own responder, rated by {@code k} annotators. */
    private static List<Dialogue> ratable(UUID study, UUID character, String characterName, String responderPrefix, int count, int k)
            throws Exception {
        List<Dialogue> dialogues = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dialogues.add(Dialogue.of(study, character, characterName, UUID.randomUUID(), responderPrefix + i, "LLM"));
        }
        Api.design(study, Map.of("ratersPerItem", k, "minSeconds", 0, "diversitySetSize", 20));
        Streams.publishDialogues(dialogues, 1, 2);
        Api.awaitItems(study, count);
        return dialogues;
    }

    private static JsonNode createJudge(UUID study, String model, int concurrency) {
        return tree(given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "judge " + model, "instructions", "Rate as the study's guidelines say.",
                        "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", model, "maxConcurrency", concurrency,
                                "priceInputPerMillion", 2, "priceOutputPerMillion", 8)))
                .post("/studies/{id}/judges", study).then().statusCode(201).extract().asString());
    }

    private static String startRun(UUID study, String judge, String budget) {
        var request = given().header("Authorization", Api.ADMIN);
        if (budget != null) {
            request = request.queryParam("budget", budget);
        }
        return request.post("/studies/{s}/judges/{j}/runs", study, judge).then().statusCode(201).extract().path("id");
    }

    private static JsonNode awaitEnd(UUID study, String judge, String runId) throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> !"RUNNING".equals(
                given().header("Authorization", Api.ADMIN).get("/studies/{s}/judges/{j}/runs/{r}", study, judge, runId)
                        .then().statusCode(200).extract().path("status")));
        JsonNode run = JSON.readTree(given().header("Authorization", Api.ADMIN).get("/studies/{s}/judges/{j}/runs/{r}", study, judge, runId)
                .then().statusCode(200).extract().asString());
        return run;
    }

    private static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
