package org.esrp.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.Topics;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.messaging.StudyEventSerde;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;
import org.esrp.metrics.service.LeaderboardQuery;
import org.esrp.metrics.service.LeaderboardService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leaderboard from a small hand-made set of ratings, published on the real topics, against values computed by hand:
 * three responders (fans H, models A and B) on one character and four scenarios, each dialogue rated twice.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "metrics"))
class LeaderboardTest {

    static final ObjectMapper MAPPER = StudyEventSerde.MAPPER;
    static final double T_975_3 = 3.182446305284263; // Student t, 0.975 quantile, 3 degrees of freedom (tables)

    final UUID study = UUID.randomUUID();
    final UUID character = UUID.randomUUID();
    final UUID[] scenarios = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
    final UUID human = UUID.randomUUID();
    final UUID modelA = UUID.randomUUID();
    final UUID modelB = UUID.randomUUID();
    final List<ResponseEvent> answers = new ArrayList<>();
    final List<RatingEvent> ratings = new ArrayList<>();

    @Test
    void handMadeRatingsGiveTheHandComputedLeaderboardAndBaseline() throws Exception {
        // each rater gives one score to every metric, except where noted
        dialogue(human, "human", "HUMAN", 0, 3, 3);
        dialogue(human, "human", "HUMAN", 1, 2, 4);
        dialogue(human, "human", "HUMAN", 2, 4, 4);
        dialogue(human, "human", "HUMAN", 3, 2, 2);
        dialogue(modelA, "model-a", "LLM", 0, 4, 4); // the first rater gives fluency 2 here
        dialogue(modelA, "model-a", "LLM", 1, 5, 5);
        dialogue(modelA, "model-a", "LLM", 2, 5, 4);
        dialogue(modelA, "model-a", "LLM", 3, 3, 4);
        dialogue(modelB, "model-b", "LLM", 0, 1, 1);
        dialogue(modelB, "model-b", "LLM", 1, 3, 4);
        dialogue(modelB, "model-b", "LLM", 2, 5, 5);
        dialogue(modelB, "model-b", "LLM", 3, 3, 4);
        publish();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study);
            return response.statusCode() == 200
                    && response.jsonPath().<Integer>getList("groups[0].rows.ratings").stream().mapToInt(Integer::intValue).sum() == 24;
        });
        JsonPath board = new JsonPath(given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).then().statusCode(200).extract().asString())
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

        assertEquals(List.of("model-a", "model-b", LeaderboardService.HUMAN_FANS), board.getList("groups[0].rows.responderName"));
        assertEquals(List.of(1, 2, 3), board.getList("groups[0].rows.rank"));
        // A: dialogue 0 has fluency (2+4)/2 = 3 and eight metrics at 4, so its overall is 35/9
        double[] a = {35.0 / 9, 5, 4.5, 3.5};
        assertEquals((35.0 / 9 + 5 + 4.5 + 3.5) / 4, board.getDouble("groups[0].rows[0].overall.mean"), 1e-12);
        assertEquals((3 + 5 + 4.5 + 3.5) / 4, board.getDouble("groups[0].rows[0].metrics.fluency.mean"), 1e-12);
        assertEquals((4 + 5 + 4.5 + 3.5) / 4, board.getDouble("groups[0].rows[0].metrics.coherency.mean"), 1e-12);
        assertEquals(4, board.getInt("groups[0].rows[0].dialogues"));
        // H: dialogue scores 3, 3, 4, 2: mean 3, sample variance 2/3, so the 95% t-interval is 3 ± t(3) * sqrt(2/3) / 2
        double half = T_975_3 * Math.sqrt(2.0 / 3) / 2;
        assertEquals(3.0, board.getDouble("groups[0].rows[2].overall.mean"), 1e-12);
        assertEquals(3 - half, board.getDouble("groups[0].rows[2].overall.low"), 1e-6);
        assertEquals(3 + half, board.getDouble("groups[0].rows[2].overall.high"), 1e-6);
        assertEquals(3.0, board.getDouble("groups[0].rows[2].dimensions.rolePlaying.mean"), 1e-12);
        assertEquals(LeaderboardService.INTERVAL, board.getString("interval"));

        // baseline, overall: A - H = 35/9-3, 2, 0.5, 1.5: all four positive, so W+ = 10 and the exact two-sided
        // p = 2 * P(W+ = 10) = 2/16. B - H = 1-3, 3.5-3, 5-4, 3.5-2 = -2, 0.5, 1, 1.5: ranks 4, 1, 2, 3; W+ = 6;
        // P(W+ >= 6) = P(W+ <= 4) = 7/16 (subsets of {1,2,3,4} summing to at most 4), so p = 14/16.
        // Holm: 0.125 * 2 = 0.25; max(0.25, 0.875 * 1) = 0.875.
        Map<String, Object> overallA = comparison(board, "model-a", "overall");
        Map<String, Object> overallB = comparison(board, "model-b", "overall");
        assertEquals(4, overallA.get("pairs"));
        assertEquals(((35.0 / 9 - 3) + 2 + 0.5 + 1.5) / 4, ((Number) overallA.get("meanDifference")).doubleValue(), 1e-12);
        assertEquals(0.125, ((Number) overallA.get("pValue")).doubleValue(), 1e-12);
        assertEquals(0.875, ((Number) overallB.get("pValue")).doubleValue(), 1e-12);
        assertEquals(0.25, ((Number) overallA.get("pHolm")).doubleValue(), 1e-12);
        assertEquals(0.875, ((Number) overallB.get("pHolm")).doubleValue(), 1e-12);
        assertEquals(List.of(human.toString()), board.getList("humanBaseline.humanResponderIds"));

        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard?groupBy=character", study).then().statusCode(200)
                .body("groups[0].rows.size()", org.hamcrest.Matchers.equalTo(3));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard?groupBy=round", study).then().statusCode(400).body("errors.field", hasItem("groupBy"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard?fans=each", study).then().statusCode(200)
                .body("groups[0].rows.responderName", org.hamcrest.Matchers.hasItems("human", LeaderboardService.HUMAN_FANS));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard?quality=off", study).then().statusCode(200).body("quality.applied", equalTo("off"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).then().statusCode(200).body("quality.applied", equalTo("policy"))
                .body("quality.policy.minRatings", equalTo(10)).body("quality.excludedRatings", equalTo(0));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard?quality=lenient", study).then().statusCode(400).body("errors.field", hasItem("quality"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard?fans=some", study).then().statusCode(400).body("errors.field", hasItem("fans"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard?raterKind=ROBOT", study).then().statusCode(400).body("errors.field", hasItem("raterKind"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", UUID.randomUUID()).then().statusCode(404);
        // how long the views take, on /q/metrics
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(org.esrp.local.Prometheus.value(scrape, "esrp_views_compute_seconds_count", "view=\"leaderboard\"") >= 1, scrape);
        given().auth().oauth2("test-admin-token").get("/studies/{id}/raters", study).then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(2));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/agreement", study).then().statusCode(200).body("metric", hasItem("fluency"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/diversity", study).then().statusCode(200).body("responderName", hasItem("human"));
        // by round: model-a's round-2 answers only, counted by hand: "model-a 的回答 k/2" for k = 0..3, 15 code points
        // each (7 + space + 3 + space + 3); unique: m,o,d,e,l,-,a, space, 的,回,答, /, 2 and the digits 0, 1, 3 = 16;
        // distinct-1 = 16 / (4 * 15). The groups' measures are computed in the background once their answers are quiet.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> new JsonPath(
                given().auth().oauth2("test-admin-token").get("/studies/{id}/diversity?round=2", study).then().statusCode(200).extract().asString())
                .get("find { it.responderName == 'model-a' }.distinct1") != null);
        JsonPath round2 = new JsonPath(given().auth().oauth2("test-admin-token").get("/studies/{id}/diversity?round=2", study).then().statusCode(200).extract().asString())
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals(16.0 / 60, round2.getDouble("find { it.responderName == 'model-a' }.distinct1"), 1e-12);
        given().auth().oauth2("test-admin-token").get("/studies/{id}/diversity?round=3", study).then().statusCode(400).body("errors.field", hasItem("round"));

        String[] csv = given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard.csv", study).then().statusCode(200).extract().asString().split("\n");
        assertEquals(1 + 3 * 13, csv.length, "a header and, per responder, 9 metrics, 3 dimensions and overall");
        String csvOverallA = java.util.Arrays.stream(csv).filter(l -> l.contains(",model-a,") && l.contains(",overall,")).findFirst().orElseThrow();
        assertEquals((35.0 / 9 + 5 + 4.5 + 3.5) / 4, Double.parseDouble(csvOverallA.split(",")[11]), 1e-12);
        given().auth().oauth2("test-admin-token").get("/studies/{id}/baseline.csv", study).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("model-a,overall,4,"));
        for (String variant : List.of("agreement.csv", "raters.csv", "diversity.csv")) {
            given().auth().oauth2("test-admin-token").get("/studies/{id}/" + variant, study).then().statusCode(200).contentType("text/csv");
        }

        // the same events in another order, as a replay or another replica would see them, give the same bytes; and so
        // do the aggregates rebuilt from what that order stored (as after a restore from the changelog)
        MapKeyValues store = new MapKeyValues();
        StudyModels replayed = new StudyModels();
        StudyState state = new StudyState(store, 0, replayed, StudyListener.NONE, false);
        List<StudyEvent> events = new ArrayList<>();
        answers.forEach(answer -> events.add(new StudyEvent.Answer(answer)));
        ratings.forEach(r -> events.add(new StudyEvent.Rating(r)));
        Collections.shuffle(events, new Random(7));
        events.forEach(state::apply);
        events.forEach(e -> assertEquals(false, state.apply(e), "a repeat changes nothing"));
        String live = given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).then().extract().asString();
        String rebuilt = MAPPER.writeValueAsString(new LeaderboardService().leaderboard(replayed.get(study), LeaderboardQuery.DEFAULT));
        assertEquals(MAPPER.readTree(live), MAPPER.readTree(rebuilt));
        StudyModels restored = new StudyModels();
        new StudyState(store, 0, restored, StudyListener.NONE, false).load();
        assertEquals(rebuilt, MAPPER.writeValueAsString(new LeaderboardService().leaderboard(restored.get(study), LeaderboardQuery.DEFAULT)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparison(JsonPath board, String responder, String score) {
        List<Map<String, Object>> rows = board.getList("humanBaseline.rows");
        return rows.stream().filter(r -> responder.equals(r.get("responderName")) && score.equals(r.get("score"))).findFirst().orElseThrow();
    }

    private void dialogue(UUID responder, String name, String kind, int scenario, int first, int second) {
        UUID dialogue = UUID.randomUUID();
        for (int round = 1; round <= 2; round++) {
            answers.add(new ResponseEvent(ResponseEvent.SCHEMA_VERSION, UUID.randomUUID(), study, dialogue, character, "《银魂》的坂田银时",
                    scenarios[scenario], String.valueOf(scenario), "学生", "焦虑", responder, name, kind, "LLM".equals(kind) ? name : null, round,
                    "问题", name + " 的回答 " + scenario + "/" + round, null, null, null, null, null, null));
        }
        int[] scores = {first, second};
        for (int rater = 0; rater < 2; rater++) {
            Map<String, Integer> byMetric = new HashMap<>();
            for (RubricMetric metric : Rubric.DIALOGUE) {
                byMetric.put(metric.key(), scores[rater]);
            }
            if (responder.equals(modelA) && scenario == 0 && rater == 0) {
                byMetric.put("fluency", 2);
            }
            ratings.add(new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, "DIALOGUE", UUID.randomUUID(), dialogue,
                    List.of(), responder, kind, "LLM".equals(kind) ? name : null, character, "《银魂》的坂田银时", scenarios[scenario],
                    new UUID(0, rater + 1), "HUMAN", null, byMetric, null, 45_000L, List.of(), false, null, null));
        }
    }

    /** Keyed by dialogue, as records written before the contract keyed them by study: they are moved to the study's partition. */
    private void publish() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        List<Topics.Keyed> answerRecords = new ArrayList<>();
        for (ResponseEvent answer : answers) {
            answerRecords.add(new Topics.Keyed(answer.dialogueId().toString(), MAPPER.writeValueAsString(answer)));
        }
        List<Topics.Keyed> ratingRecords = new ArrayList<>();
        for (RatingEvent rating : ratings) {
            // published twice: a re-publish must not count twice
            for (int copy = 0; copy < 2; copy++) {
                ratingRecords.add(new Topics.Keyed(rating.dialogueId().toString(), MAPPER.writeValueAsString(rating)));
            }
        }
        Topics.publish(bootstrap, "esrp.responses", answerRecords);
        Topics.publish(bootstrap, "esrp.ratings", ratingRecords);
    }
}
