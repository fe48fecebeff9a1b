package org.esrp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.esrp.local.FakeLlmServer;
import org.esrp.local.KafkaBroker;
import org.esrp.local.LocalInfra;
import org.esrp.local.PostgresServer;
import org.esrp.local.ServiceProcess;
import org.esrp.local.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.esrp.e2e.FaultSuiteIT.MAPPER;
import static org.esrp.e2e.FaultSuiteIT.call;
import static org.esrp.e2e.FaultSuiteIT.get;
import static org.esrp.e2e.FaultSuiteIT.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged generation-service replicas on one database, calling one OpenAI-compatible endpoint that records every
 * call (when, which model, from which replica: each replica sends its own API key) and how many were in flight. A
 * responder's max concurrency and request rate hold for both replicas together, and a replica killed mid-run has its
 * dialogues taken over within the lease (20 s) and the next poll, each answer stored and published once.
 */
class GenerationReplicasIT {

    // Three dialogues at once per replica: six together, more than the four the first responder allows.
    private static final String WORKERS = "3";
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static FakeLlmServer llm;
    private static KafkaBroker kafka;

    @BeforeAll
    static void start() throws Exception {
        PostgresServer postgres = LocalInfra.postgres();
        kafka = LocalInfra.kafka();
        llm = new FakeLlmServer();
        first = replica(postgres, "replica-a");
        second = replica(postgres, "replica-b");
        first.launch();
        second.launch();
        first.awaitReady(Duration.ofSeconds(120));
        second.awaitReady(Duration.ofSeconds(120));
    }

    private static ServiceProcess replica(PostgresServer postgres, String key) throws Exception {
        Map<String, String> env = new HashMap<>(PlatformFlowIT.env(postgres, kafka, "replicas_generation"));
        env.put("OPENAI_API_KEY", key);
        env.put("ESRP_GENERATION_WORKERS", WORKERS);
        env.put("ESRP_GENERATION_ENDPOINT_HOSTS_ALLOWED", "127.0.0.1");
        return new ServiceProcess("generation-service", env, ServiceProcess.freePort(), "384m", Path.of("target", "generation-" + key + ".log"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess replica : new ServiceProcess[]{first, second}) {
            if (replica != null) {
                replica.close();
            }
        }
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    void aRespondersMaxConcurrencyHoldsForBothReplicasTogether() throws Exception {
        String study = study(24);
        responder(study, "four-at-once", Map.of("maxConcurrency", 4));
        run(study, 24, 250);
        String model = study + "-four-at-once";
        assertEquals(4, llm.maxInFlight(model), "four calls at once at most, with six slots over the two replicas");
        assertEquals(Set.of("replica-a", "replica-b"), keys(model), "both replicas generated");
    }

    @Test
    void aRespondersRequestRateHoldsForBothReplicasTogether() throws Exception {
        String study = study(12);
        // 240 a minute: one call every 250 ms, over the two replicas together (each alone would send as many).
        responder(study, "paced", Map.of("maxConcurrency", 6, "requestsPerMinute", 240));
        run(study, 12, 20);
        String model = study + "-paced";
        List<Long> times = llm.received(model).stream().map(FakeLlmServer.Received::atMillis).sorted().toList();
        assertEquals(24, times.size());
        // A call leaves at its slot or later (a busy machine delays a thread), never earlier: a window of calls spans its
        // intervals less the delay of its first call. With each replica pacing alone (twice the rate), 8 calls would
        // come within 875 ms and all 24 within 2,875 ms.
        for (int i = 8; i < times.size(); i++) {
            // any 8 consecutive calls span 7 intervals (1,750 ms), less the first one's delay
            long span = times.get(i) - times.get(i - 8 + 1);
            assertTrue(span >= 1_300, "8 calls within " + span + " ms");
        }
        long all = times.get(times.size() - 1) - times.get(0);
        assertTrue(all >= 5_250, "24 calls within " + all + " ms (23 intervals: 5,750 ms)");
        assertEquals(Set.of("replica-a", "replica-b"), keys(model), "both replicas generated");
    }

    @Test
    void aKilledReplicasDialoguesAreTakenOverWithinTheLeaseAndEachAnswerIsKeptOnce() throws Exception {
        String study = study(30);
        String responder = responder(study, "survivor", Map.of("maxConcurrency", 6));
        String model = study + "-survivor";
        llm.delay(400);
        long killedAt;
        long killedWall;
        double seconds;
        JsonNode run;
        try {
            String runId = post(first, "/studies/" + study + "/runs", Map.of()).path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> get(second, "/studies/" + study + "/runs/" + runId).path("done").asInt() >= 8);
            long heldByFirst = llm.received(model).stream().filter(r -> "replica-a".equals(r.key())).count();
            assertTrue(heldByFirst > 0, "the replica to be killed was generating");
            first.kill();
            killedAt = System.nanoTime();
            killedWall = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "COMPLETED".equals(get(second, "/studies/" + study + "/runs/" + runId).path("status").asText()));
            seconds = (System.nanoTime() - killedAt) / 1e9;
            run = get(second, "/studies/" + study + "/runs/" + runId);
        } finally {
            llm.delay(0);
            first.start();
        }
        // The dead replica's dialogues: those it called the endpoint for that the survivor called for after the kill.
        Map<String, Set<String>> keysByScenario = new HashMap<>();
        Map<String, Long> survivorFirstCall = new HashMap<>();
        for (FakeLlmServer.Received call : llm.received(model)) {
            String scenario = call.lastUserMessage().replaceAll(".*\\((\\d+)\\).*", "$1");
            keysByScenario.computeIfAbsent(scenario, k -> new HashSet<>()).add(call.key());
            if ("replica-b".equals(call.key()) && call.atMillis() > killedWall) {
                survivorFirstCall.merge(scenario, call.atMillis(), Math::min);
            }
        }
        long takenOver = keysByScenario.entrySet().stream().filter(e -> e.getValue().size() == 2)
                .mapToLong(e -> survivorFirstCall.getOrDefault(e.getKey(), Long.MAX_VALUE) - killedWall).max().orElse(-1);
        System.out.printf("kill -9 of one replica: its dialogues taken over %.1f s later, the run completed %.1f s later (lease 20 s)%n",
                takenOver / 1000.0, seconds);
        // the issue asks for 30 s; the lease (20 s from the last heartbeat before the kill) and a poll make it 21 at most
        assertTrue(takenOver > 0 && takenOver < 30_000, "the dead replica's dialogues were taken over " + takenOver + " ms after the kill");
        assertEquals(30, run.path("done").asInt());
        assertEquals(0, run.path("failed").asInt());
        // then the survivor needs the time of a dialogue (3 calls of 400 ms) for them
        assertTrue(seconds < 35, "completed " + seconds + " s after the kill");
        List<ConsumerRecord<String, String>> records = Topics.read(kafka.bootstrapServers(), "esrp.responses",
                r -> study.equals(r.key()), 60, Duration.ofSeconds(60), Duration.ofSeconds(3));
        Set<String> answers = new HashSet<>();
        int published = 0;
        for (ConsumerRecord<String, String> record : records) {
            JsonNode answer = MAPPER.readTree(record.value());
            if (responder.equals(answer.path("responderId").asText())) {
                answers.add(answer.path("dialogueId").asText() + "/" + answer.path("round").asInt());
                published++;
            }
        }
        System.out.printf("esrp.responses: %d records of %d answers (re-published by the outbox after the kill: %d)%n",
                published, answers.size(), published - answers.size());
        assertEquals(60, answers.size(), "both rounds of every dialogue on esrp.responses");
        // One answer per (dialogue, round) is stored: the database's unique key. A record sent by the dead replica
        // whose sending it could not mark may go out again (the contract allows it: consumers drop repeats).
        try (Connection db = DriverManager.getConnection(LocalInfra.postgres().jdbcUrl("replicas_generation"), PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement stored = db.prepareStatement(
                     "SELECT count(*), count(DISTINCT (r.dialogue_id, r.round)) FROM response r JOIN dialogue d ON d.id = r.dialogue_id WHERE d.responder_id = ?")) {
            stored.setObject(1, UUID.fromString(responder));
            try (ResultSet row = stored.executeQuery()) {
                row.next();
                assertEquals(60, row.getInt(1), "answers stored");
                assertEquals(60, row.getInt(2), "one per dialogue and round");
            }
        }
    }

    private static String study(int scenarios) throws Exception {
        String study = post(second, "/studies", Map.of("name", "replicas-" + UUID.randomUUID())).path("id").asText();
        post(second, "/studies/" + study + "/characters", Map.of("name", "桐谷和人", "work", "刀剑神域", "personality", "冷静、可靠",
                "speechStyle", "简短", "history", "剑士"));
        for (int s = 0; s < scenarios; s++) {
            post(second, "/studies/" + study + "/scenarios", Map.of("externalId", "s" + s, "persona", "学生", "emotion", "焦虑",
                    "event", "考试", "openingMessage", "我明天要考试了。(" + s + ")"));
        }
        call(second, "PUT", "/studies/" + study + "/simulator",
                MAPPER.writeValueAsString(Map.of("llm", Map.of("baseUrl", llm.baseUrl(), "modelName", study + "-sim", "apiKeyEnv", "OPENAI_API_KEY"))), 200);
        return study;
    }

    private static String responder(String study, String name, Map<String, Object> limits) throws Exception {
        Map<String, Object> settings = new HashMap<>(limits);
        settings.putAll(Map.of("baseUrl", llm.baseUrl(), "modelName", study + "-" + name, "apiKeyEnv", "OPENAI_API_KEY"));
        return post(second, "/studies/" + study + "/responders", Map.of("name", name, "kind", "LLM", "llm", settings)).path("id").asText();
    }

    /** Runs the study to its end with the endpoint answering after {@code latencyMillis}. */
    private static void run(String study, int dialogues, long latencyMillis) throws Exception {
        llm.delay(latencyMillis);
        try {
            String run = post(first, "/studies/" + study + "/runs", Map.of()).path("id").asText();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "COMPLETED".equals(get(second, "/studies/" + study + "/runs/" + run).path("status").asText()));
            assertEquals(dialogues, get(second, "/studies/" + study + "/runs/" + run).path("done").asInt());
        } finally {
            llm.delay(0);
        }
    }

    private static Set<String> keys(String model) {
        Set<String> keys = new HashSet<>();
        llm.received(model).forEach(r -> keys.add(r.key()));
        return keys;
    }
}
