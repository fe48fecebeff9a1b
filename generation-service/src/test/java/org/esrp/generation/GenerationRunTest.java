package org.esrp.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.esrp.llm.LlmGateway;
import org.esrp.llm.LlmSettings;
import org.esrp.local.FakeLlmServer;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class GenerationRunTest {

    static FakeLlmServer llm;

    @BeforeAll
    static void startLlm() throws Exception {
        llm = FakeLlmServer.shared();
    }

    @Inject
    LlmGateway gateway;

    @Test
    void theModelsOfAResponderAndOfTheSimulatorAreBuiltWhenTheyAreStoredWithoutACall() throws Exception {
        String study = StudyApi.oneResponderStudy("ahead", 1, llm.baseUrl(), 2);
        // read with Jackson: RestAssured's paths read decimals as floats, and 0.7 as a float is another temperature
        ObjectMapper mapper = new ObjectMapper();
        LlmSettings responderModel = mapper.convertValue(mapper.readTree(given().auth().oauth2("test-admin-token")
                .get("/studies/{id}/responders", study).then().statusCode(200).extract().asString()).get(0).get("llm"), LlmSettings.class);
        LlmSettings simulatorModel = mapper.convertValue(mapper.readTree(given().auth().oauth2("test-admin-token")
                .get("/studies/{id}/simulator", study).then().statusCode(200).extract().asString()).get("llm"), LlmSettings.class);
        assertEquals("ahead-model", responderModel.modelName);
        assertEquals("ahead-sim", simulatorModel.modelName);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.hasModel(responderModel) && gateway.hasModel(simulatorModel));
        assertEquals(List.of(), llm.received("ahead-model"));
        assertEquals(List.of(), llm.received("ahead-sim"));
    }

    @Test
    void twoCharactersThreeScenariosTwoModelsGiveTwentyFourAnswersOnTheTopic() {
        String study = StudyApi.study("grid");
        StudyApi.character(study, "路飞", "海贼王", "乐观、贪吃、重视伙伴");
        StudyApi.character(study, "夏目贵志", "夏目友人帐", "温柔、内敛");
        String[] openings = {"期末考试要考口语，我好紧张", "今天和好朋友吵架了", "加班到深夜，觉得好孤独"};
        for (int i = 0; i < openings.length; i++) {
            StudyApi.scenario(study, "s" + i, openings[i]);
        }
        StudyApi.llmResponder(study, "model-a", llm.baseUrl(), "grid-a", 2);
        StudyApi.llmResponder(study, "model-b", llm.baseUrl(), "grid-b", 3);
        StudyApi.simulator(study, llm.baseUrl(), "grid-sim");

        Map<String, Object> run = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
        assertEquals("COMPLETED", run.get("status"));
        assertEquals(12, run.get("total"));
        assertEquals(12, run.get("done"));
        assertEquals(0, run.get("failed"));

        List<JsonNode> records = ResponsesTopic.records(study, 24, Duration.ofSeconds(60), Duration.ofSeconds(2));
        assertEquals(24, records.size());
        assertEquals(24, records.stream().map(r -> r.path("responseId").asText()).distinct().count());
        Set<String> combos = records.stream()
                .map(r -> r.path("characterId").asText() + r.path("scenarioId").asText() + r.path("responderId").asText() + r.path("round").asInt())
                .collect(Collectors.toSet());
        assertEquals(24, combos.size(), "no two answers for one (character, scenario, responder, round)");
        for (JsonNode record : records) {
            assertEquals("LLM", record.path("responderKind").asText());
            assertTrue(Set.of("grid-a", "grid-b").contains(record.path("modelName").asText()));
            assertEquals(FakeLlmServer.answerFor(record.path("modelName").asText(), tail(record.path("userMessage").asText())),
                    record.path("answer").asText());
            assertEquals(0.7, record.path("temperature").asDouble(), 1e-9);
            assertEquals(11, record.path("tokensIn").asInt());
            assertEquals(7, record.path("tokensOut").asInt());
            assertTrue(record.path("latencyMs").asLong() >= 0);
            assertEquals("焦虑", record.path("emotion").asText());
            assertNotNull(record.path("createdAt").asText(null));
            if (record.path("round").asInt() == 1) {
                assertTrue(List.of(openings).contains(record.path("userMessage").asText()));
            } else {
                // the round-2 question is what the simulator wrote
                assertEquals("grid-sim", record.path("simulatorModel").asText());
                assertTrue(record.path("userMessage").asText().startsWith("[grid-sim] reply to: "), record.toString());
            }
        }
        // what the LLM server received: the character's profile in the system prompt, round 1 in round 2's context
        for (FakeLlmServer.Received request : llm.received()) {
            if (!request.model().startsWith("grid-") || request.model().equals("grid-sim")) {
                continue;
            }
            String system = request.messages().get(0).path("content").asText();
            assertEquals("system", request.messages().get(0).path("role").asText());
            assertTrue(system.contains("乐观、贪吃、重视伙伴") || system.contains("温柔、内敛"), system);
            assertTrue(system.contains("海贼王") || system.contains("夏目友人帐"), system);
            if (request.messages().size() == 4) {
                assertEquals("assistant", request.messages().get(2).path("role").asText());
                assertTrue(request.messages().get(2).path("content").asText().startsWith("[" + request.model() + "] reply to: "));
                assertTrue(request.lastUserMessage().startsWith("[grid-sim] reply to: "));
            } else {
                assertEquals(2, request.messages().size());
            }
        }
        List<FakeLlmServer.Received> simulatorCalls = llm.received("grid-sim");
        assertEquals(12, simulatorCalls.size());
        assertTrue(simulatorCalls.stream().allMatch(r -> r.lastUserMessage().contains("reply to: ")),
                "the simulator's prompt quotes the round-1 answer");
    }

    @Test
    void rateLimitsWithRetryAfterServerErrorsAndDroppedConnectionsAreRetried() {
        String study = StudyApi.study("retry");
        StudyApi.character(study, "坂田银时", "银魂", "懒散但可靠");
        StudyApi.scenario(study, "1", "我被老板骂了");
        StudyApi.llmResponder(study, "flaky", llm.baseUrl(), "retry-flaky", 1);
        StudyApi.simulator(study, llm.baseUrl(), "retry-sim");
        llm.failNext("retry-flaky", new FakeLlmServer.Failure(429, "1"), new FakeLlmServer.Failure(500, null),
                FakeLlmServer.Failure.DROPPED, new FakeLlmServer.Failure(503, null));

        Map<String, Object> run = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
        assertEquals(1, run.get("done"), run.toString());
        List<FakeLlmServer.Received> calls = llm.received("retry-flaky");
        assertEquals(List.of(429, 500, 0, 503, 200, 200), calls.stream().map(FakeLlmServer.Received::status).toList());
        long waited = calls.get(1).atMillis() - calls.get(0).atMillis();
        assertTrue(waited >= 950, "Retry-After: 1 was honoured; waited " + waited + " ms");
        assertEquals(2, ResponsesTopic.records(study, 2, Duration.ofSeconds(30), Duration.ofSeconds(1)).size());
    }

    @Test
    void failedDialoguesAreRetriedByTheNextRunAndNothingIsGeneratedTwice() {
        String study = StudyApi.study("rerun");
        StudyApi.character(study, "五条悟", "咒术回战", "自信、强大");
        for (int i = 0; i < 4; i++) {
            StudyApi.scenario(study, "r" + i, "场景" + i + (i % 2 == 0 ? "（不稳定）" : ""));
        }
        StudyApi.llmResponder(study, "half", llm.baseUrl(), "rerun-half", 2);
        StudyApi.simulator(study, llm.baseUrl(), "rerun-sim");
        llm.rejectWhen(body -> body.path("model").asText().equals("rerun-half") && body.toString().contains("不稳定"));

        Map<String, Object> first = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
        assertEquals(4, first.get("total"));
        assertEquals(2, first.get("done"));
        assertEquals(2, first.get("failed"));

        llm.rejectWhen(body -> false);
        Map<String, Object> second = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
        assertEquals(2, second.get("total"), "only the failed dialogues run again");
        assertEquals(2, second.get("done"));

        Map<String, Object> third = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
        assertEquals(0, third.get("total"));
        assertEquals("COMPLETED", third.get("status"));

        // a model added to the running study: the next run generates its dialogues, and only those
        StudyApi.llmResponder(study, "late", llm.baseUrl(), "rerun-late", 2);
        Map<String, Object> fourth = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
        assertEquals(4, fourth.get("total"));
        assertEquals(4, fourth.get("done"));

        List<JsonNode> records = ResponsesTopic.records(study, 16, Duration.ofSeconds(30), Duration.ofSeconds(2))
                .stream().filter(r -> r.path("modelName").asText().equals("rerun-half")).toList();
        assertEquals(8, records.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode r : records) {
            assertTrue(seen.add(r.path("dialogueId").asText() + "/" + r.path("round").asInt()), "one answer per dialogue and round");
        }
        long successfulRoundOnes = llm.received("rerun-half").stream().filter(r -> r.status() == 200 && r.messages().size() == 2).count();
        assertEquals(4, successfulRoundOnes, "each scenario's round 1 was answered once");
    }

    @Test
    void startsSentAgainWhileARunIsActiveReturnThatRunAndNeverMakeASecond() throws Exception {
        String study = StudyApi.oneResponderStudy("again", 6, llm.baseUrl(), 1);
        llm.delay(150);
        try {
            // eight clients at once, as retries after a lost answer or a time-out arrive
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<io.restassured.response.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> given().auth().oauth2("test-admin-token").post("/studies/{id}/runs", study)));
            }
            Map<Integer, Integer> statuses = new HashMap<>();
            Set<String> ids = new HashSet<>();
            for (Future<io.restassured.response.Response> answer : answers) {
                io.restassured.response.Response response = answer.get(60, TimeUnit.SECONDS);
                statuses.merge(response.statusCode(), 1, Integer::sum);
                ids.add(response.path("id"));
            }
            clients.shutdown();
            assertEquals(Map.of(201, 1, 200, 7), statuses);
            assertEquals(1, ids.size(), "every answer is the same run");
            String runId = ids.iterator().next();
            assertEquals(6, (int) given().auth().oauth2("test-admin-token").get("/studies/{s}/runs/{r}", study, runId).then().extract().path("total"));
            given().auth().oauth2("test-admin-token").queryParam("budget", "5").post("/studies/{id}/runs", study)
                    .then().statusCode(409).contentType("application/problem+json").body("errors.field", hasItem("budget"));
            given().auth().oauth2("test-admin-token").get("/studies/{id}/runs", study).then().statusCode(200).body("size()", is(1));

            assertEquals("COMPLETED", StudyApi.awaitRunEnd(study, runId).get("status"));
            // once it has ended, a start is a new run again
            Map<String, Object> next = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
            assertEquals(0, next.get("total"));
        } finally {
            llm.delay(0);
        }
        long roundOneCalls = llm.received("again-model").stream().filter(r -> r.messages().size() == 2).count();
        assertEquals(6, roundOneCalls, "each scenario was generated once");
    }

    @Test
    void aCancelledRunLeavesTheRestForTheNextRun() {
        String study = StudyApi.oneResponderStudy("cancel", 6, llm.baseUrl(), 1);
        llm.delay(150);
        try {
            String runId = StudyApi.startRun(study);
            await().atMost(Duration.ofSeconds(60)).until(() -> (int) given().auth().oauth2("test-admin-token").get("/studies/{s}/runs/{r}", study, runId)
                    .then().extract().path("done") >= 1);
            given().auth().oauth2("test-admin-token").delete("/studies/{s}/runs/{r}", study, runId).then().statusCode(200);
            Map<String, Object> cancelled = StudyApi.awaitRunEnd(study, runId);
            assertEquals("CANCELLED", cancelled.get("status"));
            int doneBefore = (int) cancelled.get("done");
            assertTrue(doneBefore < 6, "cancelled half-way");

            Map<String, Object> rerun = StudyApi.awaitRunEnd(study, StudyApi.startRun(study));
            assertEquals("COMPLETED", rerun.get("status"));
            await().atMost(Duration.ofSeconds(30)).until(() -> (int) given().auth().oauth2("test-admin-token").get("/studies/{s}/runs/{r}", study, runId)
                    .then().extract().path("done") + (int) rerun.get("done") >= 6);
        } finally {
            llm.delay(0);
        }
        List<JsonNode> records = ResponsesTopic.records(study, 12, Duration.ofSeconds(30), Duration.ofSeconds(2));
        assertEquals(12, records.size());
        long roundOneCalls = llm.received("cancel-model").stream().filter(r -> r.messages().size() == 2).count();
        assertEquals(6, roundOneCalls, "no scenario was generated twice");
    }

    @Test
    void aResponderNeverHasMoreCallsInFlightThanItsLimitNorMoreRequestsThanItsRate() {
        String study = StudyApi.study("limits");
        StudyApi.character(study, "桐谷和人", "刀剑神域", "冷静、可靠");
        for (int i = 0; i < 6; i++) {
            StudyApi.scenario(study, "l" + i, "限流测试" + i);
        }
        StudyApi.llmResponder(study, "two-at-a-time", llm.baseUrl(), "limits-two", 2);
        given().auth().oauth2("test-admin-token").contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("name", "paced", "kind", "LLM", "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", "limits-paced",
                        "maxConcurrency", 4, "requestsPerMinute", 120)))
                .post("/studies/{id}/responders", study).then().statusCode(201);
        StudyApi.simulator(study, llm.baseUrl(), "limits-sim");
        llm.delay(100);
        try {
            assertEquals(12, StudyApi.awaitRunEnd(study, StudyApi.startRun(study)).get("done"));
        } finally {
            llm.delay(0);
        }
        assertEquals(2, llm.maxInFlight("limits-two"), "two calls at once, never three");
        List<Long> times = llm.received("limits-paced").stream().map(FakeLlmServer.Received::atMillis).sorted().toList();
        assertEquals(12, times.size());
        // 120 requests a minute: one every 500 ms. A call leaves at its slot or later (a busy machine delays a thread),
        // never earlier, so calls i..j span (j - i) intervals less the delay of call i: up to 220 ms allowed here. Without
        // the limit, 4 calls at once every 100 ms would come far closer.
        for (int i = 0; i < times.size(); i++) {
            for (int j = i + 1; j < times.size(); j++) {
                long span = times.get(j) - times.get(i);
                assertTrue(span >= 500L * (j - i) - 220, "calls " + i + " to " + j + " within " + span + " ms");
            }
        }
    }

    @Test
    void progressStreamsAsServerSentEventsUntilTheRunEnds() throws Exception {
        String study = StudyApi.oneResponderStudy("events", 3, llm.baseUrl(), 1);
        llm.delay(300);
        List<String> events;
        try {
            String runId = StudyApi.startRun(study);
            java.net.http.HttpResponse<java.util.stream.Stream<String>> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port
                                    + "/studies/" + study + "/runs/" + runId + "/events"))
                            .header("Accept", "text/event-stream").header("Authorization", "Bearer test-admin-token")
                            .timeout(Duration.ofSeconds(60)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            events = response.body().filter(line -> line.startsWith("data:")).toList();
        } finally {
            llm.delay(0);
        }
        assertTrue(events.size() >= 2, events.toString());
        assertTrue(events.get(0).contains("\"status\":\"RUNNING\""), events.get(0));
        String last = events.get(events.size() - 1);
        assertTrue(last.contains("\"status\":\"COMPLETED\"") && last.contains("\"done\":3"), last);
    }

    private static String tail(String text) {
        return text.length() > 60 ? text.substring(text.length() - 60) : text;
    }
}
