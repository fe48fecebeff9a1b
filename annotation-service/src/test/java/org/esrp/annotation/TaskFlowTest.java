package org.esrp.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class TaskFlowTest {

    @Test
    void answersBecomeItemsOnlyWhenBothRoundsArrivedAndOnlyOnce() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Dialogue complete = Dialogue.of(study, character, "《冰菓》的折木奉太郎", UUID.randomUUID(), "gpt-4.1", "LLM");
        Dialogue partial = Dialogue.of(study, character, "《冰菓》的折木奉太郎", UUID.randomUUID(), "qwen-max", "LLM");
        Api.design(study, Map.of("ratersPerItem", 1, "diversitySetSize", 20));
        Streams.publishDialogues(List.of(complete), 1, 2);
        Streams.publishDialogues(List.of(complete), 1, 2); // the same answers again: nothing new
        Streams.publishDialogues(List.of(partial), 1);
        Api.awaitItems(study, 1);
        Thread.sleep(1500);
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", study).then()
                .body("dialogueItems", equalTo(1)).body("items", equalTo(1));
        Api.Registered reader = Api.annotator("reader", List.of(character), List.of());
        Response task = Api.next(reader, study);
        assertEquals(200, task.statusCode());
        assertEquals(2, task.jsonPath().getList("rounds").size());
        assertTrue(task.asString().contains(complete.dialogueId().toString().substring(0, 6)));
    }

    @Test
    void sixAnnotatorsRateThirtyItemsExactlyThreeTimesEachAndOnlyCharactersTheyKnow() throws Exception {
        UUID study = UUID.randomUUID();
        UUID x = UUID.randomUUID();
        UUID y = UUID.randomUUID();
        List<Dialogue> dialogues = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID character = i < 20 ? x : y;
            dialogues.add(Dialogue.of(study, character, i < 20 ? "《银魂》的坂田银时" : "《咒术回战》的五条悟", UUID.randomUUID(), "model-" + i, "LLM"));
        }
        Api.design(study, Map.of("ratersPerItem", 3, "minSeconds", 0, "diversitySetSize", 20));
        Streams.publishDialogues(dialogues, 1, 2);
        Api.awaitItems(study, 30);

        List<Api.Registered> annotators = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            annotators.add(Api.annotator("both-" + i, List.of(x, y), List.of()));
        }
        Api.Registered onlyX = Api.annotator("only-x", List.of(x), List.of());
        annotators.add(onlyX);
        Map<String, Set<String>> charactersSeen = new HashMap<>();
        Set<String> active = annotators.stream().map(Api.Registered::id).collect(Collectors.toCollection(HashSet::new));
        int guard = 0;
        while (!active.isEmpty() && guard++ < 500) {
            for (Api.Registered annotator : annotators) {
                if (!active.contains(annotator.id())) {
                    continue;
                }
                Response task = Api.next(annotator, study);
                if (task.statusCode() == 204) {
                    active.remove(annotator.id());
                    continue;
                }
                assertEquals(200, task.statusCode(), task.asString());
                charactersSeen.computeIfAbsent(annotator.id(), k -> new HashSet<>()).add(task.path("character.name"));
                Api.rate(annotator, task.path("taskId"), UUID.randomUUID().toString(), Api.scores(3 + guard % 2), 20_000)
                        .then().statusCode(201);
            }
        }
        assertEquals(Set.of("《银魂》的坂田银时"), charactersSeen.get(onlyX.id()), "only-x never received Y");

        List<JsonNode> ratings = Api.export(study);
        assertEquals(90, ratings.size());
        Map<String, List<JsonNode>> byDialogue = ratings.stream().collect(Collectors.groupingBy(r -> r.path("dialogueId").asText()));
        assertEquals(30, byDialogue.size(), ratings.get(0).toString());
        for (List<JsonNode> itemRatings : byDialogue.values()) {
            assertEquals(3, itemRatings.size());
            assertEquals(3, itemRatings.stream().map(r -> r.path("annotatorId").asText()).distinct().count());
        }
        assertTrue(ratings.stream().filter(r -> r.path("annotatorId").asText().equals(onlyX.id()))
                .allMatch(r -> r.path("characterId").asText().equals(x.toString())));
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", study).then()
                .body("fullyRated", equalTo(30)).body("ratings", equalTo(90)).body("ratingsMissing", equalTo(0));
        String[] csv = given().header("Authorization", Api.ADMIN).get("/studies/{id}/ratings.csv", study)
                .then().statusCode(200).extract().asString().split("\n");
        assertEquals(1 + 90 * 9, csv.length, "a header and one row per rating and metric");
        assertTrue(csv[0].startsWith("ratingId,studyId,itemKind"));
        assertTrue(csv[1].contains("《") && csv[1].contains(",LLM,"), csv[1]);
    }

    @Test
    void aTaskShowsNoResponderAndNoIdThatLeadsToIt() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID responder = UUID.randomUUID();
        Dialogue dialogue = Dialogue.of(study, character, "《命运石之门》的牧濑红莉栖", responder, "deepseek-v3", "LLM");
        Streams.publishDialogues(List.of(dialogue), 1, 2);
        Api.awaitItems(study, 1);
        Api.Registered annotator = Api.annotator("blind", List.of(character), List.of());
        String task = Api.next(annotator, study).then().statusCode(200).extract().asString();
        for (String secret : List.of(responder.toString(), "deepseek-v3", "LLM", dialogue.dialogueId().toString(),
                dialogue.scenarioId().toString(), character.toString(), "responder", "model")) {
            assertFalse(task.contains(secret), "the task reveals " + secret + ": " + task);
        }
        Response parsed = Api.next(annotator, study);
        assertEquals(9, parsed.jsonPath().getList("rubric").size());
        assertEquals("fluency", parsed.path("rubric[0].key"));
        assertTrue(((String) parsed.path("rubric[0].definition")).length() > 10);
        assertEquals(5, (int) parsed.path("rubric[0].max"));
    }

    @Test
    void theSameIdempotencyKeyTwiceMakesOneRatingAndOneRecord() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID responder = UUID.randomUUID();
        Streams.publishDialogues(List.of(Dialogue.of(study, character, "《龙与虎》的逢坂大河", responder, "glm-4-plus", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        Api.Registered annotator = Api.annotator("twice", List.of(character), List.of());
        String taskId = Api.next(annotator, study).path("taskId");
        String key = UUID.randomUUID().toString();
        String first = Api.rate(annotator, taskId, key, Api.scores(4), 30_000).then().statusCode(201).extract().path("ratingId");
        String second = Api.rate(annotator, taskId, key, Api.scores(4), 30_000).then().statusCode(200).extract().path("ratingId");
        assertEquals(first, second);
        Api.rate(annotator, taskId, UUID.randomUUID().toString(), Api.scores(4), 30_000).then().statusCode(409);
        assertEquals(1, Api.export(study).size());
        List<JsonNode> records = Streams.ratings(study, 1, Duration.ofSeconds(30), Duration.ofSeconds(3));
        assertEquals(1, records.size());
        JsonNode record = records.get(0);
        assertEquals(first, record.path("ratingId").asText());
        assertEquals(responder.toString(), record.path("responderId").asText(), "analysts' stream is unblinded");
        assertEquals("LLM", record.path("responderKind").asText());
        assertEquals("glm-4-plus", record.path("modelName").asText());
        assertEquals("HUMAN", record.path("raterKind").asText());
        assertEquals(4, record.path("scores").path("emotionalValue").asInt());
        assertTrue(record.path("flags").toString().contains("STRAIGHT_LINED"));
    }

    @Test
    void anExpiredLeaseGoesToAnotherAnnotatorAndTheLateSubmissionIsRefused() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 1, "leaseSeconds", 2));
        Streams.publishDialogues(List.of(Dialogue.of(study, character, "《Fate Zero》的Saber", UUID.randomUUID(), "m", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        Api.Registered slow = Api.annotator("slow", List.of(character), List.of());
        Api.Registered quick = Api.annotator("quick", List.of(character), List.of());
        String slowTask = Api.next(slow, study).then().statusCode(200).extract().path("taskId");
        assertEquals(204, Api.next(quick, study).statusCode(), "k = 1 and the item is leased");
        Thread.sleep(2500);
        String quickTask = Api.next(quick, study).then().statusCode(200).extract().path("taskId");
        Api.rate(slow, slowTask, UUID.randomUUID().toString(), Api.scores(2), 30_000).then().statusCode(409)
                .contentType("application/problem+json");
        Api.rate(quick, quickTask, UUID.randomUUID().toString(), Api.scores(5), 30_000).then().statusCode(201);
        assertEquals(1, Api.export(study).size());
    }

    @Test
    void badInputAndForeignTasksAreRefusedNamingTheField() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 2, "minSeconds", 10));
        Streams.publishDialogues(List.of(Dialogue.of(study, character, "《魔法少女小圆》的鹿目圆", UUID.randomUUID(), "m", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        Api.Registered owner = Api.annotator("owner", List.of(character), List.of());
        Api.Registered other = Api.annotator("other", List.of(character), List.of());
        String taskId = Api.next(owner, study).path("taskId");

        given().queryParam("study", study.toString()).get("/tasks/next").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer nope").queryParam("study", study.toString()).get("/tasks/next").then().statusCode(401);
        given().header("Authorization", owner.bearer()).get("/studies/{id}/progress", study).then().statusCode(403);
        given().header("Authorization", Api.ADMIN).queryParam("study", study.toString()).get("/tasks/next").then().statusCode(403);
        given().header("Authorization", owner.bearer()).get("/tasks/next").then().statusCode(400).body("errors.field", hasItem("study"));

        Map<String, Object> missing = Api.scores(3);
        missing.remove("fluency");
        Api.rate(owner, taskId, UUID.randomUUID().toString(), missing, 30_000).then().statusCode(400).body("errors.field", hasItem("scores.fluency"));
        Map<String, Object> outOfRange = Api.scores(3);
        outOfRange.put("coherency", 6);
        Api.rate(owner, taskId, UUID.randomUUID().toString(), outOfRange, 30_000).then().statusCode(400).body("errors.field", hasItem("scores.coherency"));
        Map<String, Object> fractional = Api.scores(3);
        fractional.put("speechStyle", 3.5);
        Api.rate(owner, taskId, UUID.randomUUID().toString(), fractional, 30_000).then().statusCode(400).body("errors.field", hasItem("scores.speechStyle"));
        Map<String, Object> unknown = Api.scores(3);
        unknown.put("charm", 3);
        Api.rate(owner, taskId, UUID.randomUUID().toString(), unknown, 30_000).then().statusCode(400).body("errors.field", hasItem("scores.charm"));
        given().header("Authorization", owner.bearer()).contentType("application/json").body(Map.of("scores", Api.scores(3)))
                .post("/tasks/{id}/ratings", taskId).then().statusCode(400).body("errors.field", hasItem("Idempotency-Key"));
        given().header("Authorization", owner.bearer()).header("Idempotency-Key", "k").contentType("application/json").body("{\"scores\": ")
                .post("/tasks/{id}/ratings", taskId).then().statusCode(400).contentType("application/problem+json");
        Api.rate(owner, UUID.randomUUID().toString(), UUID.randomUUID().toString(), Api.scores(3), 30_000).then().statusCode(404);
        Api.rate(other, taskId, UUID.randomUUID().toString(), Api.scores(3), 30_000).then().statusCode(403);
        assertEquals(0, Api.export(study).size(), "nothing was stored");

        Map<String, Object> varied = Api.scores(3);
        varied.put("fluency", 5);
        Api.rate(owner, taskId, UUID.randomUUID().toString(), varied, 2_000).then().statusCode(201).body("flags", hasItem("TOO_FAST"));
        given().header("Authorization", Api.ADMIN).contentType("application/json").body(Map.of("ratersPerItem", 0))
                .put("/studies/{id}/design", study).then().statusCode(400).body("errors.field", hasItem("ratersPerItem"));
    }
}
