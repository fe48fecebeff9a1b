package org.esrp.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.events.RatingEvent;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.Topics;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.messaging.StudyEventSerde;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;
import org.esrp.metrics.service.JudgeAgreementService;
import org.esrp.metrics.service.LeaderboardQuery;
import org.esrp.metrics.service.LeaderboardService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Judge-human agreement from ratings published on the real topics: humans h1-h3 and two LLM judges (J1 close to the
 * humans, J2 not) on 15 dialogues of three models and two fans, against {@code reference/judge_agreement.py} (scipy
 * for Spearman and Kendall, Krippendorff's alpha written out there in exact fractions). The table {@link #RATINGS} is
 * the script's.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "metrics"))
class JudgeAgreementTest {

    static final ObjectMapper MAPPER = StudyEventSerde.MAPPER;
    static final String TOKEN = "test-admin-token";

    // responder and scenario of each dialogue (one character); F1 and F2 are fans (HUMAN responders)
    static final String[][] DIALOGUES = {
            {"A", "0"}, {"A", "1"}, {"A", "2"}, {"A", "3"},
            {"B", "0"}, {"B", "1"}, {"B", "2"}, {"B", "3"},
            {"C", "0"}, {"C", "1"},
            {"F1", "0"}, {"F1", "1"}, {"F2", "1"}, {"F2", "2"},
            {"C", "2"}};
    // dialogue, rater, fluency, every other metric, flag (T: TOO_FAST, G: gold): the script's table
    static final String RATINGS = """
            0 h1 4 4; 0 h2 5 4; 0 J1 5 4; 0 J2 3 3
            1 h1 3 3; 1 h2 3 4; 1 h3 2 3; 1 J1 3 3; 1 J2 4 4
            2 h1 5 5; 2 h3 4 5; 2 J1 5 5; 2 J2 3 3
            3 h2 2 2; 3 h3 3 2; 3 h1 5 5 G; 3 J1 2 2
            4 h1 2 3; 4 h2 2 2; 4 J1 2 3; 4 J2 5 5
            5 h1 4 3; 5 h3 4 4; 5 J1 4 4; 5 J2 3 3
            6 h2 3 3; 6 h3 1 2 T; 6 J1 2 3; 6 J2 4 4
            7 h1 1 1; 7 h2 2 1; 7 J1 1 2
            8 h1 3 4; 8 h2 4 4; 8 J1 4 4; 8 J2 4 4
            9 h3 5 4; 9 J1 5 5
            10 h1 4 5; 10 h3 4 4; 10 J1 4 4
            11 h2 3 3; 11 h3 4 3; 11 J1 3 3; 11 J2 3 3
            12 h1 2 2; 12 h3 3 3; 12 J1 3 2; 12 J2 4 4
            13 h3 5 5; 13 h2 4 5; 13 J1 5 5
            14 J2 3 3
            """;

    /** One row of the script's output: judge, metric, items, the four alphas, spearman, its p, responders, tau-b. */
    record Expected(String judge, String metric, int items, double alphaHumansOrdinal, double alphaWithJudgeOrdinal,
                    double alphaHumansInterval, double alphaWithJudgeInterval, double spearman, double spearmanP, int responders,
                    double kendallTau) {
    }

    // python3 judge_agreement.py, "quality=policy" ("other" is every metric but fluency: coherency here)
    static final List<Expected> POLICY = List.of(
            new Expected("J1", "fluency", 14, 0.7280798004987531, 0.8317650027941521, 0.7024793388429752, 0.8242530755711776,
                    0.9422478204433906, 4.726487734400777e-07, 4, 1.0),
            new Expected("J1", "coherency", 14, 0.848009768009768, 0.8751832043257741, 0.8657718120805369, 0.8685446009389671,
                    0.9362696845093019, 8.423754293055973e-07, 4, 0.6666666666666669),
            new Expected("J2", "fluency", 9, 0.6661960784313725, -0.17014888922574234, 0.6444444444444445, -0.14934289127837516,
                    -0.8837516331823905, 0.0015712971232999117, 4, -0.18257418583505539),
            new Expected("J2", "coherency", 9, 0.6745586201285494, -0.06221871990193503, 0.6923076923076923, -0.05457227138643068,
                    -0.6055477142125418, 0.08396753364504153, 4, -0.18257418583505539));
    // "quality=off": the TOO_FAST rating of dialogue 6 counts
    static final List<Expected> OFF = List.of(
            new Expected("J1", "fluency", 14, 0.6922294843863471, 0.8275246410839631, 0.6326086956521739, 0.8078875439281531,
                    0.9705773793936266, 8.791018477788245e-09, 4, 1.0),
            new Expected("J2", "coherency", 9, 0.6480004144218815, -0.03993963782696177, 0.6715328467153284, -0.03389830508474576,
                    -0.6247782215210103, 0.07203319544095788, 4, -0.18257418583505539));

    final UUID study = UUID.randomUUID();
    final UUID character = UUID.randomUUID();
    final UUID[] scenarios = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
    final Map<String, UUID> responders = Map.of("A", UUID.randomUUID(), "B", UUID.randomUUID(), "C", UUID.randomUUID(),
            "F1", UUID.randomUUID(), "F2", UUID.randomUUID());
    final Map<String, UUID> raters = Map.of("h1", new UUID(0, 1), "h2", new UUID(0, 2), "h3", new UUID(0, 3),
            "J1", new UUID(1, 1), "J2", new UUID(1, 2));
    static final Map<String, String> MODELS = Map.of("J1", "judge-gpt", "J2", "judge-qwen");
    final UUID[] dialogues = new UUID[DIALOGUES.length];

    @Inject
    StudyModels models;

    @Test
    void judgesAgainstTheHumansAsTheReferenceScriptComputes() throws Exception {
        Arrays.setAll(dialogues, d -> UUID.randomUUID());
        List<RatingEvent> humans = ratings(false);
        List<RatingEvent> judges = ratings(true);
        publish(humans);
        // 28 non-gold human ratings, one of them TOO_FAST (left out by the policy)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = given().auth().oauth2(TOKEN).get("/studies/{id}/leaderboard?raterKind=HUMAN", study);
            return response.statusCode() == 200
                    && response.jsonPath().<Integer>getList("groups[0].rows.ratings").stream().mapToInt(Integer::intValue).sum() == 27;
        });
        JsonNode humansOnly = MAPPER.readTree(given().auth().oauth2(TOKEN).get("/studies/{id}/leaderboard?raterKind=HUMAN", study)
                .then().statusCode(200).extract().asString());
        given().auth().oauth2(TOKEN).get("/studies/{id}/judges/agreement", study).then().statusCode(200).body("size()", equalTo(0));

        publish(judges);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> check(get("/studies/{id}/judges/agreement"), POLICY));
        check(get("/studies/{id}/judges/agreement?quality=policy"), POLICY);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> check(get("/studies/{id}/judges/agreement?quality=off"), OFF));

        JsonNode rows = get("/studies/{id}/judges/agreement");
        assertEquals(2 * Rubric.DIALOGUE.size(), rows.size(), "a row per judge and metric of the DIALOGUE rubric");
        for (JsonNode row : rows) {
            String judge = row.path("judgeId").asText().equals(raters.get("J1").toString()) ? "J1" : "J2";
            assertEquals(MODELS.get(judge), row.path("judgeModel").asText());
            // every metric but fluency was given the same scores
            if (!row.path("metric").asText().equals("fluency")) {
                Expected other = POLICY.get(judge.equals("J1") ? 1 : 3);
                assertEquals(other.spearman(), row.path("spearman").asDouble(), 1e-12, row.toString());
                assertEquals(other.alphaWithJudgeOrdinal(), row.path("alphaWithJudgeOrdinal").asDouble(), 1e-12, row.toString());
            }
        }
        // no rater is left out by the policy's rater rules (under 10 pairs each): only the TOO_FAST rating is
        given().auth().oauth2(TOKEN).get("/studies/{id}/raters", study).then().statusCode(200)
                .body("excluded.flatten()", equalTo(List.of()));

        // the CSV twin: the same rows, in the same order
        String[] csv = given().auth().oauth2(TOKEN).get("/studies/{id}/judges/agreement.csv", study).then().statusCode(200)
                .contentType("text/csv").extract().asString().split("\n");
        assertEquals("judgeId,judgeModel,metric,items,alphaHumansOrdinal,alphaWithJudgeOrdinal,alphaHumansInterval,"
                + "alphaWithJudgeInterval,spearman,spearmanP,responders,kendallTau", csv[0]);
        assertEquals(1 + rows.size(), csv.length);
        String[] j1Fluency = Arrays.stream(csv).filter(l -> l.startsWith(raters.get("J1") + ",judge-gpt,fluency,")).findFirst()
                .orElseThrow().split(",", -1);
        Expected e = POLICY.get(0);
        assertEquals("14", j1Fluency[3]);
        assertEquals(e.alphaHumansOrdinal(), Double.parseDouble(j1Fluency[4]), 1e-12);
        assertEquals(e.alphaWithJudgeInterval(), Double.parseDouble(j1Fluency[7]), 1e-12);
        assertEquals(e.spearman(), Double.parseDouble(j1Fluency[8]), 1e-12);
        assertEquals(e.spearmanP(), Double.parseDouble(j1Fluency[9]), 1e-9 * e.spearmanP());
        assertEquals("4", j1Fluency[10]);
        assertEquals(e.kendallTau(), Double.parseDouble(j1Fluency[11]), 1e-12);
        given().auth().oauth2(TOKEN).get("/studies/{id}/judges/agreement.csv?quality=off", study).then().statusCode(200);

        // access and input as for every read: analysts may, no or a wrong token may not; unknown study 404; bad quality 400
        given().auth().oauth2("test-analyst-token").get("/studies/{id}/judges/agreement", study).then().statusCode(200);
        given().get("/studies/{id}/judges/agreement", study).then().statusCode(401);
        given().get("/studies/{id}/judges/agreement.csv", study).then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/studies/{id}/judges/agreement", study).then().statusCode(401);
        given().auth().oauth2(TOKEN).get("/studies/{id}/judges/agreement", UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(TOKEN).get("/studies/{id}/judges/agreement.csv", UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(TOKEN).get("/studies/{id}/judges/agreement?quality=lenient", study).then().statusCode(400)
                .body("errors.field", hasItem("quality"));

        // the judges change nothing of the humans' leaderboard (computed now from the live aggregates, so not a stale view)
        LeaderboardQuery human = new LeaderboardQuery(null, "HUMAN", "group", true);
        JsonNode now = MAPPER.readTree(MAPPER.writeValueAsString(new LeaderboardService().leaderboard(models.get(study), human)));
        assertEquals(humansOnly, now);
        given().auth().oauth2(TOKEN).get("/studies/{id}/leaderboard?raterKind=LLM_JUDGE", study).then().statusCode(200)
                .body("groups[0].rows.size()", equalTo(4));

        // rebuilt from what was stored (as after a restart): the judges' models are known, and the rows are the same
        MapKeyValues store = new MapKeyValues();
        StudyState state = new StudyState(store, 0, new StudyModels(), StudyListener.NONE, false);
        humans.forEach(r -> state.apply(new StudyEvent.Rating(r)));
        judges.forEach(r -> state.apply(new StudyEvent.Rating(r)));
        StudyModels restored = new StudyModels();
        new StudyState(store, 0, restored, StudyListener.NONE, false).load();
        assertEquals(Map.of(raters.get("J1"), "judge-gpt", raters.get("J2"), "judge-qwen"), restored.get(study).judgeModels());
        restored.get(study).exclusions(new org.esrp.metrics.domain.Exclusions(true, new java.util.BitSet()));
        assertEquals(rows, MAPPER.readTree(MAPPER.writeValueAsString(new JudgeAgreementService().agreement(restored.get(study), true))));
    }

    private JsonNode get(String path) throws Exception {
        return MAPPER.readTree(given().auth().oauth2(TOKEN).get(path, study).then().statusCode(200).extract().asString());
    }

    private void check(JsonNode rows, List<Expected> expected) {
        for (Expected e : expected) {
            JsonNode row = null;
            for (JsonNode candidate : rows) {
                if (candidate.path("judgeId").asText().equals(raters.get(e.judge()).toString())
                        && candidate.path("metric").asText().equals(e.metric())) {
                    row = candidate;
                }
            }
            assertNotNull(row, e.judge() + " " + e.metric() + " in " + rows);
            String at = e.judge() + " " + e.metric() + ": " + row;
            assertEquals(e.items(), row.path("items").asInt(), at);
            assertEquals(e.alphaHumansOrdinal(), row.path("alphaHumansOrdinal").asDouble(), 1e-12, at);
            assertEquals(e.alphaWithJudgeOrdinal(), row.path("alphaWithJudgeOrdinal").asDouble(), 1e-12, at);
            assertEquals(e.alphaHumansInterval(), row.path("alphaHumansInterval").asDouble(), 1e-12, at);
            assertEquals(e.alphaWithJudgeInterval(), row.path("alphaWithJudgeInterval").asDouble(), 1e-12, at);
            assertEquals(e.spearman(), row.path("spearman").asDouble(), 1e-12, at);
            assertEquals(e.spearmanP(), row.path("spearmanP").asDouble(), 1e-9 * e.spearmanP(), at);
            assertEquals(e.responders(), row.path("responders").asInt(), at);
            assertEquals(e.kendallTau(), row.path("kendallTau").asDouble(), 1e-12, at);
            assertTrue(row.path("spearman").isNumber() && row.path("kendallTau").isNumber(), at);
        }
    }

    /** The table's ratings of the humans, or of the judges (with their models). */
    private List<RatingEvent> ratings(boolean ofJudges) {
        List<RatingEvent> events = new ArrayList<>();
        for (String part : RATINGS.replace("\n", ";").split(";")) {
            String[] f = part.trim().split("\\s+");
            if (f.length < 4 || f[1].startsWith("J") != ofJudges) {
                continue;
            }
            int d = Integer.parseInt(f[0]);
            String flag = f.length > 4 ? f[4] : "";
            Map<String, Integer> scores = new HashMap<>();
            for (RubricMetric metric : Rubric.DIALOGUE) {
                scores.put(metric.key(), Integer.parseInt(metric.key().equals("fluency") ? f[2] : f[3]));
            }
            String responder = DIALOGUES[d][0];
            boolean fan = responder.startsWith("F");
            boolean gold = flag.equals("G");
            events.add(new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, RatingEvent.DIALOGUE, UUID.randomUUID(),
                    dialogues[d], List.of(), responders.get(responder), fan ? "HUMAN" : "LLM", fan ? null : "model-" + responder,
                    character, "《银魂》的坂田银时", scenarios[Integer.parseInt(DIALOGUES[d][1])], raters.get(f[1]),
                    ofJudges ? "LLM_JUDGE" : "HUMAN", ofJudges ? MODELS.get(f[1]) : null, scores, null, 45_000L,
                    flag.equals("T") ? List.of(RatingEvent.TOO_FAST) : List.of(), gold, gold ? Boolean.TRUE : null, null));
        }
        return events;
    }

    /** Keyed by study, as the platform publishes them. */
    private void publish(List<RatingEvent> ratings) throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        List<Topics.Keyed> records = new ArrayList<>();
        for (RatingEvent rating : ratings) {
            records.add(new Topics.Keyed(study.toString(), MAPPER.writeValueAsString(rating)));
        }
        Topics.publish(bootstrap, RatingEvent.TOPIC, records);
    }
}
