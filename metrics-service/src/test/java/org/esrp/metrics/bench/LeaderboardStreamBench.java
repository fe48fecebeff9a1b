package org.esrp.metrics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.Topics;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.events.Rubric;
import org.esrp.metrics.messaging.StudyEventSerde;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark, not a test (surefire does not pick up *Bench): how long after a rating record is published the
 * leaderboard stream pushes the changed leaderboard. Target: within 250 ms of the event.
 * Run: ./mvnw -B -pl metrics-service test -Dtest=LeaderboardStreamBench; results in metrics-service/target/bench/.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "metrics"))
class LeaderboardStreamBench {

    static final ObjectMapper MAPPER = StudyEventSerde.MAPPER;
    static final int RATINGS = 40;

    @Test
    void latencyFromRatingToStreamedLeaderboard() throws Exception {
        UUID study = UUID.randomUUID();
        UUID dialogue = UUID.randomUUID();
        UUID responder = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID scenario = UUID.randomUUID();
        Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        Topics.publish(bootstrap, "esrp.responses", List.of(new Topics.Keyed(dialogue.toString(), MAPPER.writeValueAsString(new ResponseEvent(
                ResponseEvent.SCHEMA_VERSION, UUID.randomUUID(), study, dialogue, character, "《冰菓》的折木奉太郎", scenario, "1", null, null,
                responder, "bench", "LLM", "bench", 1, "问题", "回答", null, null, null, null, null, null)))));
        Thread.sleep(1000);
        Thread reader = new Thread(() -> read(study, arrivals), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(1000);
        List<Long> latencies = new ArrayList<>();
        for (int i = 1; i <= RATINGS; i++) {
            Map<String, Integer> scores = new HashMap<>();
            Rubric.DIALOGUE.forEach(m -> scores.put(m.key(), 3));
            RatingEvent rating = new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, "DIALOGUE", UUID.randomUUID(),
                    dialogue, List.of(), responder, "LLM", "bench", character, "《冰菓》的折木奉太郎", scenario, UUID.randomUUID(), "HUMAN",
                    scores, null, 45_000L, List.of(), false, null, null);
            // measured from the publish call: the producer's own start and the broker's acknowledgement are included
            long sent = System.nanoTime();
            Topics.publish(bootstrap, "esrp.ratings", List.of(new Topics.Keyed(dialogue.toString(), MAPPER.writeValueAsString(rating))));
            long deadline = sent + 5_000_000_000L;
            while (!arrivals.containsKey(i) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Long arrived = arrivals.get(i);
            latencies.add(arrived == null ? Long.MAX_VALUE : (arrived - sent) / 1_000_000);
            Thread.sleep(150);
        }
        report(latencies);
    }

    private static void read(UUID study, Map<Integer, Long> arrivals) {
        try {
            HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + RestAssured.port + "/studies/" + study + "/leaderboard/stream"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            response.body().filter(line -> line.startsWith("data:")).forEach(line -> {
                long now = System.nanoTime();
                try {
                    JsonNode board = MAPPER.readTree(line.substring(5));
                    int ratings = 0;
                    for (JsonNode row : board.path("groups").path(0).path("rows")) {
                        ratings += row.path("ratings").asInt();
                    }
                    arrivals.putIfAbsent(ratings, now);
                } catch (Exception ignored) {
                    // a partial line: the next event carries the count again
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(List<Long> latencies) throws Exception {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long median = sorted.get(sorted.size() / 2);
        long p95 = sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
        long max = sorted.get(sorted.size() - 1);
        long within = sorted.stream().filter(l -> l <= 250).count();
        String result = String.format("leaderboard stream latency (rating published, producer start included -> changed leaderboard pushed), "
                        + "%d ratings, 2-core machine%nmedian %d ms, p95 %d ms, max %d ms, within 250 ms: %d/%d%nall (ms): %s%n",
                sorted.size(), median, p95, max, within, sorted.size(), latencies);
        Path file = Path.of("target", "bench", "leaderboard-stream.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, result);
        System.out.println(result);
    }
}
