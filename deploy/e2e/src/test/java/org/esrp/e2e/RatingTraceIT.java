package org.esrp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.esrp.e2e.OtlpCollector.ExportedSpan;
import org.esrp.events.ResponseEvent;
import org.esrp.local.KafkaBroker;
import org.esrp.local.LocalInfra;
import org.esrp.local.ServiceProcess;
import org.esrp.local.Topics;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A rating followed by its trace: annotation-service and metrics-service export their spans over OTLP to a collector
 * that keeps them in memory; the POST of one rating, the record its outbox publishes later, and the leaderboard update
 * that metrics-service's topology makes of it are spans of one trace, across the two services and the broker.
 */
class RatingTraceIT {

    static final String ADMIN = "trace-admin-token";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int SERVER = 2;
    static final int PRODUCER = 4;
    static final int CONSUMER = 5;

    @Test
    void oneRatingsSpansShareATraceFromItsPostThroughKafkaToTheLeaderboardUpdate() throws Exception {
        KafkaBroker kafka = LocalInfra.kafka();
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID dialogue = UUID.randomUUID();
        UUID responder = UUID.randomUUID();
        UUID scenario = UUID.randomUUID();
        try (OtlpCollector collector = new OtlpCollector();
             ServiceProcess annotation = new ServiceProcess("annotation-service",
                     traced(PlatformFlowIT.env(LocalInfra.postgres(), kafka, "trace_annotation"), collector));
             ServiceProcess metrics = new ServiceProcess("metrics-service", traced(metricsEnv(kafka), collector),
                     ServiceProcess.freePort(), "384m", Path.of("target", "trace-metrics.log"))) {
            annotation.environment().put("ESRP_ADMIN_TOKEN", ADMIN);
            annotation.start();
            metrics.start();
            for (int round = 1; round <= 2; round++) {
                ResponseEvent answer = new ResponseEvent(ResponseEvent.SCHEMA_VERSION, UUID.randomUUID(), study, dialogue, character,
                        "《冰菓》的千反田爱瑠", scenario, "1", null, null, responder, "model", "LLM", "model", round, "问题" + round,
                        "回答" + round, null, null, null, null, null, null);
                Topics.publish(kafka.bootstrapServers(), ResponseEvent.TOPIC,
                        List.of(new Topics.Keyed(study.toString(), MAPPER.writeValueAsString(answer))));
            }
            String token = MAPPER.readTree(send(annotation, "POST", "/annotators", ADMIN,
                    Map.of("displayName", "tracer", "characterIds", List.of(character.toString())), 201)).path("token").asText();
            JsonNode task = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> next(annotation, token, study), t -> t != null);
            Map<String, Integer> scores = new HashMap<>();
            task.path("rubric").forEach(metric -> scores.put(metric.path("key").asText(), 4));
            String ratingId = MAPPER.readTree(send(annotation, "POST", "/tasks/" + task.path("taskId").asText() + "/ratings", token,
                    Map.of("scores", scores, "durationMs", 30_000), 201)).path("ratingId").asText();

            ExportedSpan update = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> collector.spans().stream()
                            .filter(s -> ratingId.equals(s.attributes().get("esrp.rating.id"))).findFirst().orElse(null), s -> s != null);
            assertEquals("metrics-service", update.service());
            assertEquals(CONSUMER, update.kind());
            assertEquals("esrp.ratings process", update.name());
            assertEquals(study.toString(), update.attributes().get("esrp.study.id"));

            List<ExportedSpan> trace = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> collector.spans().stream().filter(s -> s.traceId().equals(update.traceId())).toList(),
                            spans -> spans.stream().anyMatch(s -> s.kind() == SERVER) && spans.stream().anyMatch(s -> s.kind() == PRODUCER));
            ExportedSpan post = trace.stream().filter(s -> s.kind() == SERVER).findFirst().orElseThrow();
            assertEquals("annotation-service", post.service(), trace.toString());
            assertEquals("POST /tasks/{taskId}/ratings", post.name(), trace.toString());
            assertEquals("", post.parentSpanId(), "the POST starts the trace");
            ExportedSpan publish = trace.stream().filter(s -> s.kind() == PRODUCER).findFirst().orElseThrow();
            assertEquals("annotation-service", publish.service());
            assertEquals(post.spanId(), publish.parentSpanId(), "the outbox's record continues the request that stored the rating");
            assertEquals(publish.spanId(), update.parentSpanId(), "the update follows the record it read");
            assertNotNull(publish.name());
        }
    }

    /** Exports every span at once, over OTLP/HTTP, to the collector. */
    private static Map<String, String> traced(Map<String, String> env, OtlpCollector collector) {
        env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.endpoint());
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        return env;
    }

    private static Map<String, String> metricsEnv(KafkaBroker kafka) throws Exception {
        String application = "esrp-metrics-trace-" + UUID.randomUUID();
        return ServiceProcess.streams(kafka.bootstrapServers(), application, Files.createTempDirectory(application), false, ADMIN);
    }

    private static JsonNode next(ServiceProcess annotation, String token, UUID study) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(annotation.url() + "/tasks/next?study=" + study))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? MAPPER.readTree(response.body()) : null;
    }

    private static String send(ServiceProcess service, String method, String path, String token, Object body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
