package org.esrp.metrics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.events.DesignEvent;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.Topics;
import org.esrp.metrics.messaging.StudyEventSerde;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A study rated on its own rubric (4 metrics in 2 dimensions, published on esrp.designs) gets a leaderboard and an
 * agreement table with exactly those metrics and dimensions; the design may arrive after the ratings.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "metrics"))
class CustomRubricTest {

    static final List<RubricMetric> RUBRIC = List.of(
            new RubricMetric("warmth", "Warmth", "Support", "Kind and warm.", 1, 7, Map.of()),
            new RubricMetric("helpfulness", "Helpfulness", "Support", "Helps the user.", 1, 7, Map.of()),
            new RubricMetric("voice", "Voice", "In character", "Sounds like the character.", 1, 7, Map.of()),
            new RubricMetric("lore", "Lore", "In character", "Knows the character's world.", 1, 7, Map.of()));

    final UUID study = UUID.randomUUID();
    final UUID character = UUID.randomUUID();
    final UUID model = UUID.randomUUID();
    final UUID fan = UUID.randomUUID();

    @Test
    void aFourMetricRubricInTwoDimensionsGivesALeaderboardWithExactlyThose() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        UUID[] dialogues = {UUID.randomUUID(), UUID.randomUUID()};
        UUID[] fanDialogues = {UUID.randomUUID(), UUID.randomUUID()};
        for (int d = 0; d < 2; d++) {
            UUID scenario = UUID.randomUUID();
            // keyed by study, as the platform publishes them: applied in the partition they are read from
            publish(bootstrap, ResponseEvent.TOPIC, study.toString(), new ResponseEvent(ResponseEvent.SCHEMA_VERSION, UUID.randomUUID(),
                    study, dialogues[d], character, "《冰菓》的折木奉太郎", scenario, String.valueOf(d), null, null, model, "model", "LLM", "model",
                    1, "问题", "回答 " + d, null, null, null, null, null, null));
            // dialogue 0: warmth 6 and 4, helpfulness 5 and 5, voice 2 and 4, lore 3 and 3; dialogue 1: every score 7, then 5
            for (int rater = 0; rater < 2; rater++) {
                Map<String, Integer> scores = d == 0
                        ? Map.of("warmth", rater == 0 ? 6 : 4, "helpfulness", 5, "voice", rater == 0 ? 2 : 4, "lore", 3)
                        : Map.of("warmth", 7 - 2 * rater, "helpfulness", 7 - 2 * rater, "voice", 7 - 2 * rater, "lore", 7 - 2 * rater);
                publish(bootstrap, RatingEvent.TOPIC, study.toString(), new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(),
                        study, RatingEvent.DIALOGUE, UUID.randomUUID(), dialogues[d], List.of(), model, "LLM", "model", character, null,
                        scenario, new UUID(0, rater + 1), "HUMAN", null, scores, null, 40_000L, List.of(), false, null, null));
                // a fan on the same scenario, every score 4 from both raters
                publish(bootstrap, RatingEvent.TOPIC, study.toString(), new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(),
                        study, RatingEvent.DIALOGUE, UUID.randomUUID(), fanDialogues[d], List.of(), fan, "HUMAN", null, character, null,
                        scenario, new UUID(0, rater + 1), "HUMAN", null, Map.of("warmth", 4, "helpfulness", 4, "voice", 4, "lore", 4), null,
                        40_000L, List.of(), false, null, null));
            }
        }
        // before its design arrives, the study is shown on the default rubric, which these ratings do not fill
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).statusCode() == 200);
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).then().body("rubric.key", org.hamcrest.Matchers.equalTo(
                Rubric.DIALOGUE.stream().map(RubricMetric::key).toList()));

        publish(bootstrap, DesignEvent.TOPIC, study.toString(), new DesignEvent(DesignEvent.SCHEMA_VERSION, study, 2, true, 0, 10, 900, 5,
                RUBRIC, Rubric.DIVERSITY, null, null));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study)
                .jsonPath().<String>getList("rubric.key").equals(List.of("warmth", "helpfulness", "voice", "lore")));
        JsonPath board = new JsonPath(given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).then().statusCode(200).extract().asString())
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

        assertEquals(List.of("support", "inCharacter"), board.getList("rubric.dimension").stream().distinct().toList());
        assertEquals(List.of("warmth", "helpfulness", "voice", "lore"), List.copyOf(board.<String, Object>getMap("groups[0].rows[0].metrics").keySet()));
        assertEquals(List.of("support", "inCharacter"), List.copyOf(board.<String, Object>getMap("groups[0].rows[0].dimensions").keySet()));
        // dialogue 0: warmth 5, helpfulness 5, voice 3, lore 3 -> support 5, in character 3, overall 4;
        // dialogue 1: every metric 6 -> support 6, in character 6, overall 6
        assertEquals((5 + 6) / 2.0, board.getDouble("groups[0].rows[0].dimensions.support.mean"), 1e-12);
        assertEquals((3 + 6) / 2.0, board.getDouble("groups[0].rows[0].dimensions.inCharacter.mean"), 1e-12);
        assertEquals((4 + 6) / 2.0, board.getDouble("groups[0].rows[0].overall.mean"), 1e-12);
        assertEquals((3 + 6) / 2.0, board.getDouble("groups[0].rows[0].metrics.voice.mean"), 1e-12);

        given().auth().oauth2("test-admin-token").get("/studies/{id}/agreement", study).then().statusCode(200)
                .body("metric", org.hamcrest.Matchers.equalTo(List.of("warmth", "helpfulness", "voice", "lore", "diversity")));
        // the baseline and the comparisons on the same rubric: model minus fans is 4 - 4 and 6 - 4 overall, 5 - 4 and 6 - 4
        // on support, 3 - 4 and 6 - 4 in character
        assertEquals(List.of("overall", "support", "inCharacter"), board.getList("humanBaseline.rows.score"));
        assertEquals(List.of(1.0, 1.5, 0.5), board.getList("humanBaseline.rows.meanDifference"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/comparisons?score=inCharacter", study).then().statusCode(200)
                .body("score", org.hamcrest.Matchers.equalTo("inCharacter"))
                .body("pairs[0].sharedPairs", org.hamcrest.Matchers.equalTo(2));
        // the adjusted means on one of its dimensions: 2 dialogues x 2 raters for each of the model and the fans
        given().auth().oauth2("test-admin-token").get("/studies/{id}/adjusted?score=support", study).then().statusCode(200)
                .body("score", org.hamcrest.Matchers.equalTo("support")).body("observations", org.hamcrest.Matchers.equalTo(8))
                .body("responders.key", org.hamcrest.Matchers.hasItem("human-fans"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/adjusted.csv?score=support", study).then().statusCode(200).contentType("text/csv");
        given().auth().oauth2("test-admin-token").get("/studies/{id}/comparisons?score=empathy", study).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("score"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/raters", study).then().statusCode(200)
                .body("find { it.annotatorId == '00000000-0000-0000-0000-000000000001' }.dialogueRatings", org.hamcrest.Matchers.equalTo(4));
        String[] csv = given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard.csv", study).then().statusCode(200).extract().asString().split("\n");
        assertEquals(1 + 2 * (4 + 2 + 1), csv.length, "a header and, for the model and the fans, 4 metrics, 2 dimensions and overall");
    }

    private static void publish(String bootstrap, String topic, String key, Object record) throws Exception {
        Topics.publish(bootstrap, topic, List.of(new Topics.Keyed(key, StudyEventSerde.MAPPER.writeValueAsString(record))));
    }
}
