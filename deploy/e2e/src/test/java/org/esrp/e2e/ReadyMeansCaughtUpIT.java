package org.esrp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.local.KafkaBroker;
import org.esrp.local.ServiceProcess;
import org.esrp.local.Topics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged metrics-service on the real broker: the moment it says it is ready, its leaderboard counts every rating
 * the topics held when it started. A fresh instance computes a study's first views early in its catch-up (after the
 * first records of the backlog), and a restarted one right after loading its stores, before it has read what came
 * while it was down; neither of those views may be what a ready instance serves. Checked for a fresh instance, after a
 * clean restart and after a kill -9, each time with more ratings than one poll of the stream thread reads.
 */
class ReadyMeansCaughtUpIT {

    static final int DIALOGUES = 20_000;

    @Test
    void theLeaderboardCountsEveryRatingOfTheBacklogTheMomentTheInstanceIsReady() throws Exception {
        UUID study = UUID.randomUUID();
        // the answers first, as a study's are: its first views are computed before the first rating is read
        List<UUID> responders = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<UUID> characters = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<MetricsInstancesIT.Dialogue> dialogues = new ArrayList<>();
        List<Object> answers = new ArrayList<>();
        for (int d = 0; d < DIALOGUES; d++) {
            MetricsInstancesIT.Dialogue dialogue = new MetricsInstancesIT.Dialogue(study, UUID.randomUUID(),
                    characters.get(d % characters.size()), UUID.randomUUID(), responders.get(d % responders.size()));
            dialogues.add(dialogue);
            answers.add(dialogue.answer());
        }
        Path work = Files.createTempDirectory("metrics-ready-");
        // a broker of its own: its 20,000 answers and 28,000 ratings are not for the other tests' services to read
        try (KafkaBroker kafka = KafkaBroker.start(0, work.resolve("kafka"), Path.of("target", "ready-kafka.log"))) {
            String bootstrap = kafka.bootstrapServers();
            publish(bootstrap, ResponseEvent.TOPIC, study, answers);
            publishRatings(bootstrap, dialogues, 6_000);
            Map<String, String> env = ServiceProcess.streams(bootstrap, "esrp-metrics-ready", work.resolve("state"), false,
                    MetricsInstancesIT.ADMIN_TOKEN);
            try (ServiceProcess metrics = new ServiceProcess("metrics-service", env, ServiceProcess.freePort(), ServiceProcess.METRICS_HEAP,
                    Path.of("target", "metrics-ready.log"))) {
                restarts(metrics, bootstrap, study, dialogues);
            }
        }
    }

    private static void restarts(ServiceProcess metrics, String bootstrap, UUID study, List<MetricsInstancesIT.Dialogue> dialogues) throws Exception {
        metrics.launch();
        awaitReadyClosely(metrics);
        assertEquals(6_000, ratingsOnLeaderboard(metrics, study), "a fresh instance, the moment it is ready");

        metrics.close();
        publishRatings(bootstrap, dialogues, 20_000);
        metrics.launch();
        awaitReadyClosely(metrics);
        assertEquals(26_000, ratingsOnLeaderboard(metrics, study), "after a clean restart, with what came while it was down");

        publishRatings(bootstrap, dialogues, 2_000);
        metrics.kill();
        metrics.launch();
        awaitReadyClosely(metrics);
        assertEquals(28_000, ratingsOnLeaderboard(metrics, study), "after a kill -9");
    }

    /** Asks every 5 ms, so that the leaderboard is read right when readiness turns UP, before any later computation. */
    private static void awaitReadyClosely(ServiceProcess metrics) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!metrics.ready()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("metrics-service was not ready in 180 s; see target/metrics-ready.log");
            }
            Thread.sleep(5);
        }
    }

    private static void publishRatings(String bootstrap, List<MetricsInstancesIT.Dialogue> dialogues, int count) throws Exception {
        List<Object> ratings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ratings.add(dialogues.get(i % dialogues.size()).rating(1 + i % 5));
        }
        publish(bootstrap, RatingEvent.TOPIC, dialogues.get(0).study(), ratings);
    }

    private static void publish(String bootstrap, String topic, UUID study, List<?> records) throws Exception {
        List<Topics.Keyed> keyed = new ArrayList<>();
        for (Object record : records) {
            keyed.add(new Topics.Keyed(study.toString(), MetricsInstancesIT.MAPPER.writeValueAsString(record)));
        }
        Topics.publish(bootstrap, topic, keyed);
    }

    private static long ratingsOnLeaderboard(ServiceProcess metrics, UUID study) throws Exception {
        String body = given().baseUri(metrics.url()).auth().oauth2(MetricsInstancesIT.ADMIN_TOKEN)
                .get("/studies/{id}/leaderboard", study).then().statusCode(200).extract().asString();
        long ratings = 0;
        for (JsonNode row : MetricsInstancesIT.MAPPER.readTree(body).path("groups").path(0).path("rows")) {
            ratings += row.path("ratings").asLong();
        }
        return ratings;
    }
}
