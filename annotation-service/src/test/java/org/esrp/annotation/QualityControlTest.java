package org.esrp.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class QualityControlTest {

    @Test
    void roundOneAnswersMakeSetsOfMInTheOrderTheyWereWrittenAndRepeatsMakeNothing() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID responder = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 1, "diversitySetSize", 20, "minSeconds", 0));
        OffsetDateTime written = OffsetDateTime.now().minusHours(1);
        List<Dialogue> dialogues = new ArrayList<>();
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Dialogue dialogue = Dialogue.of(study, character, "《路人女主的养成方法》的加藤惠", responder, "doubao-rp", "LLM");
            Map<String, Object> answer = dialogue.round(1, UUID.randomUUID());
            answer.put("createdAt", written.plusSeconds(i).toString());
            dialogues.add(dialogue);
            answers.add(answer);
        }
        // twelve answers arrive newest first while a set takes 20, so none is made; the second round of one dialogue,
        // behind them on the study's partition, shows when they are stored
        List<Map<String, Object>> newestFirst = new ArrayList<>(answers.subList(0, 12));
        java.util.Collections.reverse(newestFirst);
        Streams.publish(newestFirst);
        Streams.publish(List.of(dialogues.get(0).round(2, UUID.randomUUID())));
        Api.awaitItems(study, 1);
        // with sets of 5, each later answer takes the five free answers written first; repeats of stored answers count nowhere
        Api.design(study, Map.of("ratersPerItem", 1, "diversitySetSize", 5, "minSeconds", 0));
        Streams.publish(answers.subList(0, 5));
        Streams.publish(answers.subList(12, 15));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", study)
                        .then().extract().<Integer>path("diversityItems") == 3);

        Api.Registered rater = Api.annotator("sets-1", List.of(character), List.of());
        Set<Set<String>> sets = new HashSet<>();
        for (Response task = Api.next(rater, study); task.statusCode() == 200; task = Api.next(rater, study)) {
            boolean set = "DIVERSITY".equals(task.path("kind"));
            if (set) {
                sets.add(new HashSet<>(task.jsonPath().getList("answers.answer")));
            }
            Api.rate(rater, task.path("taskId"), UUID.randomUUID().toString(), set ? Map.of("diversity", 3) : Api.scores(3), 60_000)
                    .then().statusCode(201);
        }
        Set<Set<String>> expected = new HashSet<>();
        for (int first = 0; first < 15; first += 5) {
            expected.add(answers.subList(first, first + 5).stream().map(a -> (String) a.get("answer")).collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(expected, sets);
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", study).then().body("diversityItems", equalTo(3));
    }

    @Test
    void fiveRoundOneAnswersOfOneResponderAndCharacterMakeADiversityItemShuffledPerAnnotator() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID responder = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 2, "diversitySetSize", 5, "minSeconds", 0));
        List<Dialogue> dialogues = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            dialogues.add(Dialogue.of(study, character, "《路人女主的养成方法》的加藤惠", responder, "doubao-rp", "LLM"));
        }
        Streams.publishDialogues(dialogues, 1);
        Api.Registered first = Api.annotator("div-1", List.of(character), List.of());
        Api.Registered second = Api.annotator("div-2", List.of(character), List.of());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", study)
                        .then().extract().<Integer>path("diversityItems") == 1);
        Response task = Api.next(first, study);
        assertEquals("DIVERSITY", task.path("kind"));
        List<String> answers = task.jsonPath().getList("answers.answer");
        assertEquals(5, answers.size());
        assertEquals(List.of("diversity"), task.jsonPath().getList("rubric.key"));
        assertEquals(0, task.jsonPath().getList("rounds").size());
        Set<List<String>> orders = new HashSet<>();
        orders.add(answers);
        Api.rate(first, task.path("taskId"), UUID.randomUUID().toString(), Map.of("diversity", 2), 60_000).then().statusCode(201);
        Api.rate(first, task.path("taskId"), UUID.randomUUID().toString(), Map.of("diversity", 2), 60_000).then().statusCode(409);
        Response other = Api.next(second, study);
        assertEquals(new HashSet<>(answers), new HashSet<>(other.jsonPath().getList("answers.answer")), "the same set");
        Api.rate(second, other.path("taskId"), UUID.randomUUID().toString(), Map.of("fluency", 2), 60_000).then().statusCode(400);
        Api.rate(second, other.path("taskId"), UUID.randomUUID().toString(), Map.of("diversity", 4), 60_000).then().statusCode(201);
        List<JsonNode> ratings = Api.export(study);
        assertEquals(2, ratings.size());
        assertEquals(5, ratings.get(0).path("responseIds").size());
        assertEquals(responder.toString(), ratings.get(0).path("responderId").asText());
        assertTrue(ratings.get(0).path("dialogueId").isNull());
    }

    @Test
    void goldItemsLookLikeAnyTaskAndGiveEachAnnotatorAPassRate() {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 3, "goldShare", 0.5, "minSeconds", 0));
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("characterId", character.toString(), "characterName", "《紫罗兰永恒花园》的薇尔莉特·伊芙加登",
                            "persona", "上班族", "emotion", "难过",
                            "rounds", List.of(Map.of("round", 1, "userMessage", "我失恋了" + i, "answer", "关我什么事，自己想办法。"),
                                    Map.of("round", 2, "userMessage", "你怎么这样", "answer", "我是AI，不是薇尔莉特。")),
                            "expected", Map.of("characterKnowledge", List.of(1, 2), "emotionalValue", List.of(1, 2))))
                    .post("/studies/{id}/gold", study).then().statusCode(201);
        }
        given().header("Authorization", Api.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("characterName", "x", "rounds", List.of(), "expected", Map.of("fluency", List.of(1, 2))))
                .post("/studies/{id}/gold", study).then().statusCode(400).body("errors[0].field", equalTo("rounds"));

        Api.Registered careful = Api.annotator("careful", List.of(character), List.of());
        Api.Registered careless = Api.annotator("careless", List.of(character), List.of());
        for (Api.Registered annotator : List.of(careful, careless)) {
            for (int i = 0; i < 2; i++) {
                Response task = Api.next(annotator, study);
                assertEquals(200, task.statusCode());
                for (String hidden : List.of("gold", "expected", "Gold")) {
                    assertFalse(task.asString().contains(hidden), "a gold task gives itself away: " + hidden);
                }
                int score = annotator == careful ? 1 : 5;
                Map<String, Object> scores = Api.scores(score);
                scores.put("fluency", 4);
                Api.rate(annotator, task.path("taskId"), UUID.randomUUID().toString(), scores, 30_000).then().statusCode(201);
            }
            assertEquals(204, Api.next(annotator, study).statusCode());
        }
        Response quality = given().header("Authorization", Api.ADMIN).get("/studies/{id}/quality", study);
        assertEquals(1.0, quality.jsonPath().getDouble("find { it.displayName == 'careful' }.goldPassRate"), 1e-9);
        assertEquals(0.0, quality.jsonPath().getDouble("find { it.displayName == 'careless' }.goldPassRate"), 1e-9);
        assertEquals(2, quality.jsonPath().getInt("find { it.displayName == 'careless' }.goldRated"));
    }

    @Test
    void aFanIsNeverAskedToRateTheirOwnAnswers() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID fan = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 3, "diversitySetSize", 20));
        Dialogue own = Dialogue.of(study, character, "《排球少年！！》的日向翔阳", fan, "fan-7", "HUMAN");
        Streams.publishDialogues(List.of(own), 1, 2);
        Api.awaitItems(study, 1);
        Api.Registered self = Api.annotator("fan-7", List.of(character), List.of(fan));
        Api.Registered stranger = Api.annotator("stranger", List.of(character), List.of());
        assertEquals(204, Api.next(self, study).statusCode());
        assertEquals(200, Api.next(stranger, study).statusCode());
    }
}
