package org.esrp.metrics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.Topics;
import org.esrp.metrics.messaging.StudyEventSerde;
import org.esrp.local.Prometheus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records that break the contract (a rating without its responder, a score off the rubric's scale, an answer without its
 * responder, text that is not JSON) are parked on esrp.dlq with the reason and counted; the study's leaderboard and
 * diversity keep answering, from the good records only.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "metrics"))
class PoisonRecordTest {

    final UUID study = UUID.randomUUID();
    final UUID character = UUID.randomUUID();
    final UUID model = UUID.randomUUID();

    @Test
    void poisonIsParkedCountedAndLeavesTheLeaderboardExact() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        double ratingsBefore = parked("esrp.ratings");
        double answersBefore = parked("esrp.responses");
        UUID dialogue = UUID.randomUUID();
        UUID scenario = UUID.randomUUID();
        ResponseEvent answer = answer(dialogue, scenario, model);
        publish(bootstrap, ResponseEvent.TOPIC, answer);
        publish(bootstrap, ResponseEvent.TOPIC, answer(UUID.randomUUID(), UUID.randomUUID(), null));
        publish(bootstrap, RatingEvent.TOPIC, rating(dialogue, scenario, model, 4));
        publish(bootstrap, RatingEvent.TOPIC, rating(dialogue, scenario, null, 4));
        publish(bootstrap, RatingEvent.TOPIC, rating(dialogue, scenario, model, 99));
        Topics.publish(bootstrap, RatingEvent.TOPIC, List.of(new Topics.Keyed(study.toString(), "{\"ratingId\": ")));
        publish(bootstrap, RatingEvent.TOPIC, rating(dialogue, scenario, model, 2));

        List<ConsumerRecord<String, String>> parked = Topics.read(bootstrap, "esrp.dlq", r -> study.toString().equals(r.key()),
                4, Duration.ofSeconds(60), Duration.ofSeconds(2));
        List<String> reasons = parked.stream().map(r -> header(r, "dead-letter-reason")).sorted().toList();
        assertEquals(4, reasons.size(), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("esrp.responses") && r.contains("responderId")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("esrp.ratings") && r.contains("responderId")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("scores.fluency = 99") && r.contains("1-5")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("not JSON")), reasons.toString());
        assertEquals(3.0, parked("esrp.ratings") - ratingsBefore, 0.0);
        assertEquals(1.0, parked("esrp.responses") - answersBefore, 0.0);

        // The two good ratings, 4 and 2 on every metric: a mean of 3 exactly, nothing of the 99.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).then().extract()
                        .jsonPath().getInt("groups[0].rows[0].ratings") == 2);
        given().auth().oauth2("test-admin-token").get("/studies/{id}/leaderboard", study).then().statusCode(200)
                .body("groups[0].rows", hasSize(1)).body("groups[0].rows[0].overall.mean", equalTo(3.0f));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/diversity", study).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    private ResponseEvent answer(UUID dialogue, UUID scenario, UUID responder) {
        return new ResponseEvent(ResponseEvent.SCHEMA_VERSION, UUID.randomUUID(), study, dialogue, character, "《冰菓》的折木奉太郎",
                scenario, "1", null, null, responder, "model", "LLM", "model", 1, "问题", "回答", null, null, null, null, null, null);
    }

    private RatingEvent rating(UUID dialogue, UUID scenario, UUID responder, int fluency) {
        Map<String, Integer> scores = new java.util.HashMap<>();
        for (String metric : List.of("fluency", "coherency", "consistency", "characterKnowledge", "speechStyle", "behavioralHabit",
                "demandMatching", "experienceSharing", "emotionalValue")) {
            scores.put(metric, fluency == 99 ? 3 : fluency);
        }
        scores.put("fluency", fluency);
        return new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, RatingEvent.DIALOGUE, UUID.randomUUID(), dialogue,
                List.of(), responder, "LLM", "model", character, null, scenario, UUID.randomUUID(), "HUMAN", null, scores, null, 40_000L,
                List.of(), false, null, null);
    }

    private void publish(String bootstrap, String topic, Object record) throws Exception {
        Topics.publish(bootstrap, topic, List.of(new Topics.Keyed(study.toString(), StudyEventSerde.MAPPER.writeValueAsString(record))));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return record.headers().lastHeader(name) == null ? "" : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** This JVM's count of parked records of a topic, as Prometheus scrapes it. */
    static double parked(String topic) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return Prometheus.value(scrape, "esrp_dlq_records_total", "topic=\"" + topic + "\"");
    }
}
