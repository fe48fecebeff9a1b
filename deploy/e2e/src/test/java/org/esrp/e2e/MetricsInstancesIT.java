package org.esrp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.restassured.response.Response;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.local.KafkaBroker;
import org.esrp.local.LocalInfra;
import org.esrp.local.ServiceProcess;
import org.esrp.local.Topics;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged metrics-service instances of one application on the real broker: the studies spread over them by
 * Kafka's partition assignment, each instance answers for every study (asking the owner when it is the other one),
 * with the same bytes; after one is killed (-9) the survivor takes its studies over and counts what comes next.
 */
class MetricsInstancesIT {

    static final String ADMIN_TOKEN = "e2e-admin-token";

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final int STUDIES = 8;
    /** metrics-service's default {@code esrp.metrics.partitions}. */
    static final int PARTITIONS = 6;

    @Test
    void twoInstancesAnswerAlikeForEveryStudyAndTheSurvivorOfAKillTakesOver() throws Exception {
        KafkaBroker kafka = LocalInfra.kafka();
        String app = "esrp-metrics-e2e-" + UUID.randomUUID();
        List<UUID> studies = new ArrayList<>();
        Map<UUID, Dialogue> dialogues = new HashMap<>();
        for (int s = 0; s < STUDIES; s++) {
            UUID study = studyIn(s % PARTITIONS);
            studies.add(study);
            // one LLM dialogue rated 4 and 2 (overall 3); the score differs per study, so no two leaderboards are alike
            Dialogue dialogue = new Dialogue(study, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            dialogues.put(study, dialogue);
            publish(kafka, ResponseEvent.TOPIC, study.toString(), dialogue.answer());
            publish(kafka, RatingEvent.TOPIC, study.toString(), dialogue.rating(4), dialogue.rating(2), dialogue.rating(1 + s % 5));
        }
        try (ServiceProcess first = instance(app, "first"); ServiceProcess second = instance(app, "second")) {
            first.launch();
            second.launch();
            first.awaitReady(Duration.ofSeconds(180));
            second.awaitReady(Duration.ofSeconds(180));
            // Ready is caught up, not settled: the group rebalances when the second instance joins, and the partitions
            // (each holds a study) spread over both soon after
            Set<String> both = Set.of("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port());
            await().atMost(Duration.ofSeconds(60)).until(() -> both.equals(studies.stream()
                    .map(study -> leaderboard(first, study).header("X-ESRP-Served-By")).collect(java.util.stream.Collectors.toSet())));
            Set<String> servedBy = new HashSet<>();
            for (int s = 0; s < STUDIES; s++) {
                UUID study = studies.get(s);
                double expected = (4 + 2 + 1 + s % 5) / 3.0;
                awaitOverall(study, expected, first, second);
                Response fromFirst = leaderboard(first, study);
                Response fromSecond = leaderboard(second, study);
                assertEquals(fromFirst.asString(), fromSecond.asString(), "both instances answer alike for study " + s);
                assertEquals(fromFirst.header("X-ESRP-Served-By"), fromSecond.header("X-ESRP-Served-By"), "one owner per study");
                servedBy.add(fromFirst.header("X-ESRP-Served-By"));
                // the stream too, through whichever instance is asked
                assertEquals(fromFirst.asString(), firstStreamed(first, study));
                assertEquals(fromFirst.asString(), firstStreamed(second, study));
            }
            assertEquals(both, servedBy, "the studies are split over both");

            second.kill();
            for (UUID study : studies) {
                publish(kafka, RatingEvent.TOPIC, study.toString(), dialogues.get(study).rating(5));
            }
            for (int s = 0; s < STUDIES; s++) {
                UUID study = studies.get(s);
                double expected = (4 + 2 + 1 + s % 5 + 5) / 4.0;
                awaitOverall(study, expected, first);
                assertEquals("127.0.0.1:" + first.port(), leaderboard(first, study).header("X-ESRP-Served-By"));
            }
        }
    }

    record Dialogue(UUID study, UUID id, UUID character, UUID scenario, UUID responder) {

        ResponseEvent answer() {
            return new ResponseEvent(ResponseEvent.SCHEMA_VERSION, UUID.randomUUID(), study, id, character, "《冰菓》的千反田爱瑠", scenario, "1",
                    null, null, responder, "model", "LLM", "model", 1, "问题", "回答", null, null, null, null, null, null);
        }

        RatingEvent rating(int score) {
            Map<String, Integer> scores = new HashMap<>();
            for (RubricMetric metric : Rubric.DIALOGUE) {
                scores.put(metric.key(), score);
            }
            return new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, RatingEvent.DIALOGUE, UUID.randomUUID(), id, List.of(),
                    responder, "LLM", "model", character, null, scenario, UUID.randomUUID(), "HUMAN", null, scores, null, 40_000L, List.of(), false,
                    null, null);
        }
    }

    /** A study id in the partition: the default partitioner's, for the id as the key, as metrics-service places studies. */
    private static UUID studyIn(int partition) {
        while (true) {
            UUID study = UUID.randomUUID();
            if (Utils.toPositive(Utils.murmur2(study.toString().getBytes(StandardCharsets.UTF_8))) % PARTITIONS == partition) {
                return study;
            }
        }
    }

    private static ServiceProcess instance(String app, String name) throws Exception {
        Path state = Files.createTempDirectory("metrics-" + name + "-");
        Map<String, String> env = ServiceProcess.streams(LocalInfra.kafka().bootstrapServers(), app, state, false, ADMIN_TOKEN);
        return new ServiceProcess("metrics-service", env, ServiceProcess.freePort(), ServiceProcess.METRICS_HEAP, Path.of("target", "metrics-" + name + ".log"));
    }

    private static void publish(KafkaBroker kafka, String topic, String key, Object... records) throws Exception {
        List<Topics.Keyed> keyed = new ArrayList<>();
        for (Object record : records) {
            keyed.add(new Topics.Keyed(key, MAPPER.writeValueAsString(record)));
        }
        Topics.publish(kafka.bootstrapServers(), topic, keyed);
    }

    /** Waits until every instance's leaderboard of the study has the expected overall mean; says what they answer if not. */
    private static void awaitOverall(UUID study, double expected, ServiceProcess... instances) {
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> java.util.Arrays.stream(instances)
                    .allMatch(instance -> Math.abs(overall(instance, study) - expected) < 1e-9));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder answers = new StringBuilder("study " + study + " never showed " + expected + ":");
            for (ServiceProcess instance : instances) {
                Response response = leaderboard(instance, study);
                answers.append("\n").append(instance.url()).append(" ").append(response.statusCode()).append(" ").append(response.asString());
            }
            throw new AssertionError(answers.toString(), e);
        }
    }

    private static Response leaderboard(ServiceProcess instance, UUID study) {
        return given().baseUri(instance.url()).auth().oauth2(ADMIN_TOKEN).get("/studies/{id}/leaderboard", study);
    }

    private static double overall(ServiceProcess instance, UUID study) {
        Response response = leaderboard(instance, study);
        if (response.statusCode() != 200) {
            return Double.NaN;
        }
        try {
            return MAPPER.readTree(response.asString()).path("groups").path(0).path("rows").path(0).path("overall").path("mean")
                    .asDouble(Double.NaN);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String firstStreamed(ServiceProcess instance, UUID study) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(instance.url() + "/studies/" + study + "/leaderboard/stream")).header("Accept", "text/event-stream")
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = response.body()) {
            String data = lines.filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
            JsonNode parsed = MAPPER.readTree(data.substring(5));
            assertTrue(parsed.has("groups"));
            return data.substring(5).strip();
        }
    }
}
